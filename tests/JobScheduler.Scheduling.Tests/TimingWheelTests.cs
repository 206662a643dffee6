using Microsoft.Extensions.Time.Testing;

namespace JobScheduler.Scheduling.Tests;

public sealed class TimingWheelTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);

    private TimingWheel<string> NewWheel(int slotCount = 16) => new(TimeSpan.FromMilliseconds(1), slotCount, _time.GetUtcNow());

    private static List<string> Drain(TimingWheel<string> wheel, DateTimeOffset now)
    {
        var output = new List<string>();
        int count = wheel.Drain(now, output);
        Assert.Equal(output.Count, count);
        return output;
    }

    [Fact]
    public void Drain_BeforeDue_ReturnsNothing()
    {
        TimingWheel<string> wheel = NewWheel();
        wheel.Add("a", Start.AddMilliseconds(5));

        _time.Advance(TimeSpan.FromMilliseconds(4));

        Assert.Empty(Drain(wheel, _time.GetUtcNow()));
        Assert.Equal(1, wheel.Count);
    }

    [Fact]
    public void Drain_AtDue_ReturnsEntry()
    {
        TimingWheel<string> wheel = NewWheel();
        wheel.Add("a", Start.AddMilliseconds(5));

        _time.Advance(TimeSpan.FromMilliseconds(5));

        Assert.Equal(["a"], Drain(wheel, _time.GetUtcNow()));
        Assert.Equal(0, wheel.Count);
        Assert.Null(wheel.NextDue);
    }

    [Fact]
    public void Drain_OrdersByDueThenInsertion()
    {
        TimingWheel<string> wheel = NewWheel();
        wheel.Add("c", Start.AddMilliseconds(7));
        wheel.Add("a1", Start.AddMilliseconds(3));
        wheel.Add("b", Start.AddTicks(35_000));
        wheel.Add("a2", Start.AddMilliseconds(3));

        _time.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal(["a1", "a2", "b", "c"], Drain(wheel, _time.GetUtcNow()));
    }

    [Fact]
    public void Drain_WithinSameTick_KeepsLaterEntries()
    {
        TimingWheel<string> wheel = NewWheel();
        wheel.Add("early", Start.AddTicks(10_200));
        wheel.Add("late", Start.AddTicks(10_800));

        Assert.Equal(["early"], Drain(wheel, Start.AddTicks(10_500)));
        Assert.Equal(["late"], Drain(wheel, Start.AddTicks(10_800)));
    }

    [Fact]
    public void Add_PastDue_ReturnedByNextDrain()
    {
        TimingWheel<string> wheel = NewWheel();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Drain(wheel, _time.GetUtcNow());

        wheel.Add("late", Start.AddMilliseconds(50));
        wheel.Add("exact", _time.GetUtcNow());

        Assert.Equal(Start.AddMilliseconds(50), wheel.NextDue);
        Assert.Equal(["late", "exact"], Drain(wheel, _time.GetUtcNow()));
    }

    [Fact]
    public void Add_BeyondRevolution_UsesOverflow()
    {
        TimingWheel<string> wheel = NewWheel(slotCount: 8);
        wheel.Add("far", Start.AddMilliseconds(20));
        wheel.Add("farther", Start.AddMilliseconds(30));
        wheel.Add("near", Start.AddMilliseconds(2));

        Assert.Equal(3, wheel.Count);
        Assert.Equal(["near"], Drain(wheel, Start.AddMilliseconds(5)));
        Assert.Empty(Drain(wheel, Start.AddMilliseconds(19)));
        Assert.Equal(["far"], Drain(wheel, Start.AddMilliseconds(20)));
        Assert.Equal(Start.AddMilliseconds(30), wheel.NextDue);
        Assert.Equal(["farther"], Drain(wheel, Start.AddMilliseconds(31)));
    }

    [Fact]
    public void Drain_StepByStep_ReturnsEachEntryOnce()
    {
        TimingWheel<string> wheel = NewWheel(slotCount: 8);
        for (int i = 1; i <= 40; i++)
        {
            wheel.Add($"e{i}", Start.AddMilliseconds(i));
        }

        var all = new List<string>();
        for (int ms = 1; ms <= 45; ms++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            List<string> drained = Drain(wheel, _time.GetUtcNow());
            Assert.Equal(ms <= 40 ? [$"e{ms}"] : [], drained);
            all.AddRange(drained);
        }

        Assert.Equal(40, all.Count);
        Assert.Equal(0, wheel.Count);
    }

    [Fact]
    public void Drain_AfterLongGap_ReturnsAllInOrder()
    {
        TimingWheel<string> wheel = NewWheel(slotCount: 4096);
        wheel.Add("in-wheel", Start.AddMilliseconds(100));
        wheel.Add("overflow-b", Start.AddMinutes(30));
        wheel.Add("overflow-a", Start.AddMinutes(10));
        wheel.Add("future", Start.AddHours(2));

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(["in-wheel", "overflow-a", "overflow-b"], Drain(wheel, _time.GetUtcNow()));
        Assert.Equal(Start.AddHours(2), wheel.NextDue);
        Assert.Equal(1, wheel.Count);
    }

    [Fact]
    public void Drain_LongGap_KeepsLaterEntry()
    {
        TimingWheel<string> wheel = NewWheel(slotCount: 16);
        wheel.Add("soon-after", Start.AddHours(1).AddMilliseconds(5));

        Assert.Empty(Drain(wheel, Start.AddHours(1)));
        Assert.Equal(["soon-after"], Drain(wheel, Start.AddHours(1).AddMilliseconds(5)));
    }

    [Fact]
    public void Drain_LongGap_IsFast()
    {
        // A tick of 100 ns over ten years is about 3e15 ticks; stepping tick by tick would never finish.
        var wheel = new TimingWheel<string>(TimeSpan.FromTicks(1), 4096, Start);
        wheel.Add("a", Start.AddYears(5));

        Assert.Equal(["a"], Drain(wheel, Start.AddYears(10)));
    }

    [Fact]
    public void NextDue_TracksEarliestAcrossStructures()
    {
        TimingWheel<string> wheel = NewWheel(slotCount: 8);
        Assert.Null(wheel.NextDue);

        wheel.Add("overflow", Start.AddMilliseconds(50));
        Assert.Equal(Start.AddMilliseconds(50), wheel.NextDue);

        wheel.Add("slot", Start.AddMilliseconds(6));
        Assert.Equal(Start.AddMilliseconds(6), wheel.NextDue);

        Drain(wheel, Start.AddMilliseconds(6));
        Assert.Equal(Start.AddMilliseconds(50), wheel.NextDue);
    }

    [Fact]
    public void RemoveWhere_RemovesFromSlotsOverflowAndOverdue()
    {
        TimingWheel<string> wheel = NewWheel(slotCount: 8);
        Drain(wheel, Start.AddMilliseconds(10));
        wheel.Add("x-overdue", Start.AddMilliseconds(1));
        wheel.Add("keep-slot", Start.AddMilliseconds(12));
        wheel.Add("x-slot", Start.AddMilliseconds(11));
        wheel.Add("x-overflow", Start.AddMilliseconds(100));
        wheel.Add("keep-overflow", Start.AddMilliseconds(200));

        int removed = wheel.RemoveWhere(entry => entry.StartsWith('x'));

        Assert.Equal(3, removed);
        Assert.Equal(2, wheel.Count);
        Assert.Equal(Start.AddMilliseconds(12), wheel.NextDue);
        Assert.Equal(["keep-slot", "keep-overflow"], Drain(wheel, Start.AddMilliseconds(300)));
    }

    [Fact]
    public void RemoveWhere_NoMatch_ReturnsZero()
    {
        TimingWheel<string> wheel = NewWheel();
        wheel.Add("a", Start.AddMilliseconds(1));

        Assert.Equal(0, wheel.RemoveWhere(_ => false));
        Assert.Equal(1, wheel.Count);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimingWheel<string>(TimeSpan.Zero, 16, Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimingWheel<string>(TimeSpan.FromMilliseconds(1), 0, Start));
    }
}

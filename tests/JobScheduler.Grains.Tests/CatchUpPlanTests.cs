using System.Globalization;
using System.Text.Json;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Shards;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// Catch-up after downtime (scheduling case BH-22): a minutely job misses 112 instants while every silo is
/// down; each misfire policy runs a bounded, exact set of them and the job keeps its schedule.
/// </summary>
public sealed class CatchUpPlanTests
{
    private static readonly JsonElement Case = LoadCase("BH-22");

    private static readonly DateTimeOffset Restart = Instant(Case.GetProperty("input").GetProperty("scheduler_down")[1].GetString()!);
    private static readonly DateTimeOffset NextDue = Instant(Case.GetProperty("expected").GetProperty("missed_instants").GetProperty("first").GetString()!);
    private static readonly DateTimeOffset LastMissed = Instant(Case.GetProperty("expected").GetProperty("missed_instants").GetProperty("last").GetString()!);
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(Case.GetProperty("input").GetProperty("misfireThreshold_seconds").GetInt32());
    private static readonly int MissedCount = Case.GetProperty("expected").GetProperty("missed_instants").GetProperty("count").GetInt32();

    [Fact]
    public void FireOnce_RunsLatestMissedInstantThenResumes()
    {
        var plan = Plan(MisfirePolicy.FireOnce, maxCatchUp: 1000);

        Assert.Equal([LastMissed], plan.CatchUp);
        Assert.Equal(MissedCount, plan.MissedCount);
        Assert.Equal(LastMissed.AddMinutes(1), plan.ResumeAt);
    }

    [Fact]
    public void Skip_RunsNothingThenResumes()
    {
        var plan = Plan(MisfirePolicy.Skip, maxCatchUp: 1000);

        Assert.Empty(plan.CatchUp);
        Assert.Equal(MissedCount, plan.MissedCount);
        Assert.Equal(LastMissed.AddMinutes(1), plan.ResumeAt);
    }

    [Fact]
    public void FireAll_RunsEveryMissedInstantOnce()
    {
        var plan = Plan(MisfirePolicy.FireAll, maxCatchUp: 1000);

        var expected = Enumerable.Range(0, MissedCount).Select(i => NextDue.AddMinutes(i)).ToList();
        Assert.Equal(expected, plan.CatchUp);
        Assert.Equal(expected.Count, plan.CatchUp.Distinct().Count());
        Assert.Equal(LastMissed.AddMinutes(1), plan.ResumeAt);
    }

    [Fact]
    public void FireAll_StopsAtTheConfiguredMaximum()
    {
        var plan = Plan(MisfirePolicy.FireAll, maxCatchUp: 50);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => NextDue.AddMinutes(i)).ToList(), plan.CatchUp);
        Assert.Equal(MissedCount, plan.MissedCount);
    }

    [Fact]
    public void LateWithinThreshold_IsNotAMisfire()
    {
        var schedule = Parse("* * * * *");

        var plan = CatchUpPlan.Create(schedule, NextDue, NextDue + Threshold, Threshold, MisfirePolicy.Skip, 1000);

        Assert.Empty(plan.CatchUp);
        Assert.Equal(0, plan.MissedCount);
        Assert.Equal(NextDue, plan.ResumeAt);
    }

    [Fact]
    public void OneTimeMissed_RunsOnceAndEnds()
    {
        Assert.True(ScheduleParser.TryParse("ONE_TIME", "2024-01-01T08:30:00Z", null, NextDue, out var schedule, out _));

        var plan = CatchUpPlan.Create(schedule, NextDue, Restart, Threshold, MisfirePolicy.FireOnce, 1000);

        Assert.Equal([NextDue], plan.CatchUp);
        Assert.Null(plan.ResumeAt);
    }

    private static CatchUpPlan Plan(MisfirePolicy policy, int maxCatchUp) =>
        CatchUpPlan.Create(Parse(Case.GetProperty("input").GetProperty("cron").GetString()!), NextDue, Restart, Threshold, policy, maxCatchUp);

    private static Schedule Parse(string cron)
    {
        Assert.True(ScheduleParser.TryParse("RECURRING", cron, "UTC", NextDue, out var schedule, out var error), error?.Message);
        return schedule;
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static JsonElement LoadCase(string id)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Cases", "scheduling-cases.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Single(c => c.GetProperty("id").GetString() == id).Clone();
    }
}

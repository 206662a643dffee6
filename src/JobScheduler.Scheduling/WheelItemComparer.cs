namespace JobScheduler.Scheduling;

/// <summary>
/// Orders wheel items by due instant, then by insertion sequence, so equal instants keep insertion order.
/// </summary>
internal sealed class WheelItemComparer<TEntry> : IComparer<WheelItem<TEntry>>
{
    internal static readonly WheelItemComparer<TEntry> Instance = new();

    public int Compare(WheelItem<TEntry> x, WheelItem<TEntry> y)
    {
        int byDue = x.DueTicks.CompareTo(y.DueTicks);
        return byDue != 0 ? byDue : x.Sequence.CompareTo(y.Sequence);
    }
}

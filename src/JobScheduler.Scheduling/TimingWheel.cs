namespace JobScheduler.Scheduling;

/// <summary>
/// A hashed timing wheel: entries due within one revolution sit in the slot of their tick, later entries wait in
/// an overflow queue ordered by due instant and move into slots as the cursor approaches.
/// Not thread-safe: one owner (a shard grain) adds and drains.
/// </summary>
/// <typeparam name="TEntry">The payload scheduled on the wheel.</typeparam>
public sealed class TimingWheel<TEntry>
{
    private readonly long _tickTicks;
    private readonly long _startTicks;
    private readonly List<WheelItem<TEntry>>[] _slots;
    private readonly List<WheelItem<TEntry>> _overdue = [];
    private readonly PriorityQueue<WheelItem<TEntry>, WheelItem<TEntry>> _overflow = new(WheelItemComparer<TEntry>.Instance);
    private readonly List<WheelItem<TEntry>> _drainBuffer = [];

    // The wheel tick of the last drain. The slots hold the ticks from _cursorTick to _cursorTick + slot count, exclusive.
    private long _cursorTick;

    // The UTC ticks of the last drain: entries due at or before it go to _overdue.
    private long _drainedUpToTicks;
    private long _sequence;
    private DateTimeOffset? _nextDue;
    private bool _nextDueKnown = true;

    /// <summary>Initializes an empty wheel.</summary>
    /// <param name="tickDuration">The width of one slot, such as 1 ms.</param>
    /// <param name="slotCount">The number of slots, such as 4096; one revolution is <c>tickDuration * slotCount</c>.</param>
    /// <param name="start">The instant the cursor starts at; entries due at or before it are returned by the first drain.</param>
    /// <exception cref="ArgumentOutOfRangeException">The tick duration or the slot count is not positive.</exception>
    public TimingWheel(TimeSpan tickDuration, int slotCount, DateTimeOffset start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tickDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slotCount, 0);

        _tickTicks = tickDuration.Ticks;
        _startTicks = start.UtcTicks;
        _drainedUpToTicks = start.UtcTicks;
        _slots = new List<WheelItem<TEntry>>[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            _slots[i] = [];
        }
    }

    /// <summary>Gets the number of entries held.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the earliest due instant held, or null when the wheel is empty.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            if (!_nextDueKnown)
            {
                _nextDue = FindNextDue();
                _nextDueKnown = true;
            }

            return _nextDue;
        }
    }

    /// <summary>
    /// Adds an entry due at <paramref name="due"/>. An entry due at or before the last drained instant is returned
    /// by the next <see cref="Drain"/>.
    /// </summary>
    public void Add(TEntry entry, DateTimeOffset due)
    {
        var item = new WheelItem<TEntry>(entry, due.UtcTicks, _sequence++);
        Place(item);
        Count++;
        if (_nextDueKnown && (_nextDue is null || due < _nextDue))
        {
            _nextDue = new DateTimeOffset(due.UtcTicks, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Moves every entry due at or before <paramref name="now"/> into <paramref name="output"/>, ordered by due
    /// instant, with ties in insertion order. The cost is bounded by the entries moved plus the slot count,
    /// however long ago the previous drain was.
    /// </summary>
    /// <returns>The number of entries added to <paramref name="output"/>.</returns>
    public int Drain(DateTimeOffset now, List<TEntry> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _drainBuffer.Clear();
        _drainBuffer.AddRange(_overdue);
        _overdue.Clear();

        long nowTicks = now.UtcTicks;
        if (nowTicks > _drainedUpToTicks)
        {
            AdvanceTo(nowTicks);
        }

        _drainBuffer.Sort(WheelItemComparer<TEntry>.Instance);
        foreach (WheelItem<TEntry> item in _drainBuffer)
        {
            output.Add(item.Entry);
        }

        int drained = _drainBuffer.Count;
        _drainBuffer.Clear();
        Count -= drained;
        if (drained > 0)
        {
            _nextDueKnown = false;
        }

        return drained;
    }

    /// <summary>Removes every entry that matches <paramref name="predicate"/>.</summary>
    /// <returns>The number of entries removed.</returns>
    public int RemoveWhere(Func<TEntry, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        int removed = _overdue.RemoveAll(item => predicate(item.Entry));
        foreach (List<WheelItem<TEntry>> slot in _slots)
        {
            removed += slot.RemoveAll(item => predicate(item.Entry));
        }

        removed += RemoveFromOverflow(predicate);
        Count -= removed;
        if (removed > 0)
        {
            _nextDueKnown = false;
        }

        return removed;
    }

    private void AdvanceTo(long nowTicks)
    {
        long newTick = TickOf(nowTicks);
        if (newTick - _cursorTick >= _slots.Length)
        {
            // A gap of a whole revolution or more: visit each slot once instead of each elapsed tick.
            for (int i = 0; i < _slots.Length; i++)
            {
                TakeDue(_slots[i], nowTicks);
            }
        }
        else
        {
            for (long tick = _cursorTick; tick <= newTick; tick++)
            {
                TakeDue(_slots[SlotIndex(tick)], nowTicks);
            }
        }

        _cursorTick = newTick;
        _drainedUpToTicks = nowTicks;
        PullFromOverflow(nowTicks);
    }

    private void PullFromOverflow(long nowTicks)
    {
        long horizonTick = _cursorTick + _slots.Length;
        while (_overflow.TryPeek(out WheelItem<TEntry> item, out _) && TickOf(item.DueTicks) < horizonTick)
        {
            _overflow.Dequeue();
            if (item.DueTicks <= nowTicks)
            {
                _drainBuffer.Add(item);
            }
            else
            {
                _slots[SlotIndex(TickOf(item.DueTicks))].Add(item);
            }
        }
    }

    // Moves the due items of one slot to the drain buffer and keeps the rest in place, in order.
    private void TakeDue(List<WheelItem<TEntry>> slot, long nowTicks)
    {
        int notDueCount = 0;
        for (int i = 0; i < slot.Count; i++)
        {
            WheelItem<TEntry> item = slot[i];
            if (item.DueTicks <= nowTicks)
            {
                _drainBuffer.Add(item);
            }
            else
            {
                slot[notDueCount++] = item;
            }
        }

        slot.RemoveRange(notDueCount, slot.Count - notDueCount);
    }

    private void Place(WheelItem<TEntry> item)
    {
        if (item.DueTicks <= _drainedUpToTicks)
        {
            _overdue.Add(item);
            return;
        }

        long tick = TickOf(item.DueTicks);
        if (tick < _cursorTick + _slots.Length)
        {
            _slots[SlotIndex(tick)].Add(item);
        }
        else
        {
            _overflow.Enqueue(item, item);
        }
    }

    private int RemoveFromOverflow(Func<TEntry, bool> predicate)
    {
        int before = _overflow.Count;
        WheelItem<TEntry>[] remaining = _overflow.UnorderedItems
            .Select(pair => pair.Element)
            .Where(item => !predicate(item.Entry))
            .ToArray();
        if (remaining.Length == before)
        {
            return 0;
        }

        _overflow.Clear();
        foreach (WheelItem<TEntry> item in remaining)
        {
            _overflow.Enqueue(item, item);
        }

        return before - remaining.Length;
    }

    private DateTimeOffset? FindNextDue()
    {
        long? earliest = null;
        if (_overdue.Count > 0)
        {
            earliest = _overdue.Min(item => item.DueTicks);
        }
        else
        {
            // Slots hold later ticks than the overdue list, and the overflow later ticks than any slot.
            for (long tick = _cursorTick; tick < _cursorTick + _slots.Length && earliest is null; tick++)
            {
                List<WheelItem<TEntry>> slot = _slots[SlotIndex(tick)];
                if (slot.Count > 0)
                {
                    earliest = slot.Min(item => item.DueTicks);
                }
            }

            if (earliest is null && _overflow.TryPeek(out WheelItem<TEntry> first, out _))
            {
                earliest = first.DueTicks;
            }
        }

        return earliest is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    // Floor division, so instants before the start map to negative ticks in the right order.
    private long TickOf(long utcTicks) => FloorDiv(utcTicks - _startTicks, _tickTicks);

    private int SlotIndex(long tick)
    {
        long index = tick % _slots.Length;
        return (int)(index < 0 ? index + _slots.Length : index);
    }

    private static long FloorDiv(long dividend, long divisor)
    {
        long quotient = dividend / divisor;
        return (dividend % divisor != 0 && (dividend < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }
}

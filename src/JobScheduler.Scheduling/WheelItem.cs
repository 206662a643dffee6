namespace JobScheduler.Scheduling;

/// <summary>
/// An entry on a <see cref="TimingWheel{TEntry}"/> with its due instant (UTC ticks) and insertion sequence.
/// </summary>
internal readonly record struct WheelItem<TEntry>(TEntry Entry, long DueTicks, long Sequence);

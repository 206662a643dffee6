using JobScheduler.Abstractions.Grains;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Shards;

/// <summary>A job whose next instant is in the shard's wheel, with its parsed schedule.</summary>
internal sealed class LoadedJob(ShardJob job, Schedule schedule)
{
    public ShardJob Job { get; set; } = job;

    public Schedule Schedule { get; } = schedule;
}

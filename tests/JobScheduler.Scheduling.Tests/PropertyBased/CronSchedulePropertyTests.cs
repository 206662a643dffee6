using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;
using Xunit.Abstractions;

namespace JobScheduler.Scheduling.Tests.PropertyBased;

/// <summary>
/// Compares <see cref="CronSchedule"/> with <see cref="BruteForceCron"/> at random instants near UTC offset
/// changes in random zones of the embedded tz database, and checks that every result is later than its input.
/// </summary>
/// <remarks>
/// The run is deterministic: the seed and the iteration count come from SCHEDULING_PROPERTY_SEED and
/// SCHEDULING_PROPERTY_ITERATIONS (defaults 20260101 and 1500). A longer search, for example:
/// <code>
/// SCHEDULING_PROPERTY_SEED=7 SCHEDULING_PROPERTY_ITERATIONS=200000 dotnet test tests/JobScheduler.Scheduling.Tests --filter FullyQualifiedName~CronSchedulePropertyTests
/// </code>
/// A failure prints the seed, the iteration, the zone, the expression and both instants.
/// </remarks>
public sealed class CronSchedulePropertyTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20260101;
    private const int DefaultIterations = 1500;
    private const int ChainLength = 3;
    private const int MaxReportedFailures = 20;

    private static readonly string[] Seconds = ["0", "*", "*/15", "30", "0,30", "10-20", "*/7"];
    private static readonly string[] Minutes = ["0", "30", "*", "*/15", "*/40", "0,30", "15-45/10", "59", "1"];
    private static readonly string[] Hours = ["*", "2", "1,2,3", "0-3", "*/2", "3", "1", "23", "0", "22-23", "2/3"];
    private static readonly string[] DaysOfMonth = ["*", "*", "*", "*/3", "1", "15", "L", "L-2", "15W", "LW", "?", "1-7", "31"];
    private static readonly string[] Months = ["*", "*", "*", "*", "3,10", "*/2", "3-11"];
    private static readonly string[] DaysOfWeek = ["*", "*", "*", "?", "0", "1-5", "6L", "0#1", "2#2", "SUN", "MON-FRI", "*/2"];

    [Fact]
    public void CronSchedule_NearOffsetChanges_MatchesBruteForce()
    {
        int seed = ReadSetting("SCHEDULING_PROPERTY_SEED", DefaultSeed);
        int iterations = ReadSetting("SCHEDULING_PROPERTY_ITERATIONS", DefaultIterations);
        var random = new Random(seed);
        DateTimeZone[] zones = DateTimeZoneProviders.Tzdb.Ids.Select(id => DateTimeZoneProviders.Tzdb[id]).ToArray();
        var failures = new List<string>();
        int compared = 0;

        for (int iteration = 0; iteration < iterations && failures.Count < MaxReportedFailures; iteration++)
        {
            DateTimeZone zone = zones[random.Next(zones.Length)];
            CronSchedule schedule = RandomSchedule(random, zone);
            Instant after = RandomInstantNearTransition(random, zone);
            Duration horizon = schedule.Cron.HasSeconds ? Duration.FromHours(6) : Duration.FromHours(50);

            for (int step = 0; step < ChainLength; step++)
            {
                string context = $"seed {seed}, iteration {iteration}, zone {zone.Id}, expression '{schedule.Expression}', after {after}";
                DateTimeOffset? actual = schedule.GetNextOccurrence(after.ToDateTimeOffset());
                if (actual is { } value && Instant.FromDateTimeOffset(value) <= after)
                {
                    failures.Add($"{context}: {value:O} is not later than the input");
                    break;
                }

                Instant? expected = BruteForceCron.NextWithin(schedule.Cron, zone, after, horizon);
                Instant? actualInstant = actual is { } found ? Instant.FromDateTimeOffset(found) : null;
                if (expected is not null)
                {
                    compared++;
                }

                if (!Agrees(expected, actualInstant, after + horizon))
                {
                    failures.Add($"{context}: expected {expected?.ToString() ?? "none within the horizon"}, actual {actualInstant?.ToString() ?? "null"}");
                    break;
                }

                if (actualInstant is null)
                {
                    break;
                }

                after = actualInstant.Value;
            }
        }

        output.WriteLine($"seed {seed}, {iterations} iterations, {compared} lookups compared, tzdb {TimeZoneSource.TzdbVersion}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(compared > iterations, $"Only {compared} lookups had a reference value; the generator drifted away from frequent expressions.");
    }

    // Beyond the horizon the reference has no value, so the schedule only has to be later than the horizon.
    private static bool Agrees(Instant? expected, Instant? actual, Instant horizonEnd) =>
        expected is not null ? expected == actual : actual is null || actual > horizonEnd;

    private static CronSchedule RandomSchedule(Random random, DateTimeZone zone)
    {
        while (true)
        {
            string fields = string.Join(
                ' ',
                Pick(random, Minutes),
                Pick(random, Hours),
                Pick(random, DaysOfMonth),
                Pick(random, Months),
                Pick(random, DaysOfWeek));
            string expression = random.Next(4) == 0 ? $"{Pick(random, Seconds)} {fields}" : fields;
            DateTimeOffset anchor = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            if (ScheduleParser.TryParse("RECURRING", expression, zone.Id, anchor, out Schedule? schedule, out _))
            {
                return (CronSchedule)schedule;
            }
        }
    }

    // An instant within 30 hours of a UTC offset change between 1970 and 2037, or a random instant in a zone
    // without changes then. Some inputs sit exactly on the change or have a sub-second part.
    private static Instant RandomInstantNearTransition(Random random, DateTimeZone zone)
    {
        Instant probe = Instant.FromUtc(1970, 1, 1, 0, 0) + Duration.FromSeconds(random.NextInt64(0, 68L * 365 * 86400));
        Instant transition = probe;
        foreach (ZoneInterval interval in zone.GetZoneIntervals(probe, probe + Duration.FromDays(400)))
        {
            if (interval.HasEnd && interval.End > probe)
            {
                transition = interval.End;
                break;
            }
        }

        return random.Next(6) switch
        {
            0 => transition,
            1 => transition - Duration.FromSeconds(1),
            2 => transition + Duration.FromSeconds(random.Next(-108_000, 108_000)) + Duration.FromMilliseconds(random.Next(1, 1000)),
            _ => transition + Duration.FromMinutes(random.Next(-1800, 1800)),
        };
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static int ReadSetting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : fallback;
}

namespace JobScheduler.Grains.Jobs;

/// <summary>Defaults applied to unset members of a job definition.</summary>
internal static class JobDefaults
{
    public const int TimeoutSeconds = 30;
    public const int MaxTimeoutSeconds = 24 * 60 * 60;
    public const int MaxRetries = 3;
    public const int RetryInterval = 300;
    public const int MaxRetryInterval = 3600;
    public const double Jitter = 0.1;
    public const int MaxNameLength = 200;
    public const int MaxExpressionLength = 1000;
    public const int MaxTimeZoneLength = 100;
    public const int MaxUrlLength = 2048;
    public const int MaxHeaders = 50;
    public const int MaxHeaderValueLength = 8192;
}

namespace JobScheduler.Grains.Storage.Memory;

/// <summary>The process-wide dev-mode stores, shared by every silo in the process.</summary>
public static class MemoryStores
{
    /// <summary>Due-index.</summary>
    public static MemoryDueIndex DueIndex { get; } = new();

    /// <summary>Job index.</summary>
    public static MemoryJobIndex JobIndex { get; } = new();

    /// <summary>Dead letters.</summary>
    public static MemoryDeadLetterStore DeadLetters { get; } = new();

    /// <summary>Execution history.</summary>
    public static MemoryExecutionStore Executions { get; } = new();

    /// <summary>Webhook delivery log.</summary>
    public static MemoryWebhookDeliveryStore WebhookDeliveries { get; } = new();

    /// <summary>Idempotency keys of API requests.</summary>
    public static MemoryIdempotencyStore IdempotencyKeys { get; } = new();

    /// <summary>Webhook events not yet delivered.</summary>
    public static MemoryWebhookOutbox WebhookOutbox { get; } = new();
}

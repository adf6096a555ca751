namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// What an <see cref="IPublishObserver"/> asks a publisher's acknowledgement to wait for: <see cref="None"/> (the
/// common case, no allocation), or a task that completes once the observer is done with the message (written, stored)
/// and faults when it could not be. A struct rather than a <see cref="ValueTask"/> so that ignoring it is not a bug:
/// most callers (wills, $SYS, tests) have no acknowledgement to hold.
/// </summary>
public readonly struct PublishReceipt
{
    private readonly Task? _task;

    private PublishReceipt(Task task) => _task = task;

    /// <summary>Nothing to wait for.</summary>
    public static PublishReceipt None => default;

    /// <summary>The acknowledgement waits for <paramref name="completion"/>.</summary>
    public static PublishReceipt WaitFor(Task completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return new PublishReceipt(completion);
    }

    /// <summary>True while there is something to wait for (not yet completed, or faulted).</summary>
    public bool IsPending => _task is { IsCompletedSuccessfully: false };

    /// <summary>The task to await; completed for <see cref="None"/>.</summary>
    public Task AsTask() => _task ?? Task.CompletedTask;

    /// <summary>One receipt for two observers: pending until both are done, faulted if either faults.</summary>
    public static PublishReceipt Both(PublishReceipt first, PublishReceipt second) =>
        !first.IsPending ? second
        : !second.IsPending ? first
        : new PublishReceipt(Task.WhenAll(first.AsTask(), second.AsTask()));
}

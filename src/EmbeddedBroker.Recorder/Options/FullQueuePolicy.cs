namespace EmbeddedBroker.Recorder.Options;

/// <summary>What happens to a message accepted while the recorder queue is full.</summary>
public enum FullQueuePolicy
{
    /// <summary>The new message is not recorded; it is counted in <see cref="RecorderStatistics.Dropped"/>.</summary>
    DropNewest,

    /// <summary>The oldest queued message is discarded to make room; it is counted in <see cref="RecorderStatistics.Dropped"/>.</summary>
    DropOldest,
}

public static class FullQueuePolicyParser
{
    public static bool TryParse(string? text, out FullQueuePolicy policy)
    {
        policy = FullQueuePolicy.DropNewest;
        return !string.IsNullOrWhiteSpace(text)
            && !int.TryParse(text, out _) // Enum.TryParse accepts numbers; a typo like "1" must not pass.
            && Enum.TryParse(text.Trim(), ignoreCase: true, out policy)
            && Enum.IsDefined(policy);
    }
}

using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Api;

/// <summary>
/// Bounds of what the API keeps and answers, from the "Web:Api" section next to RecentMessagesCapacity: the ring of
/// recent messages in bytes, payload previews in lists, the size of a list answer, the ring of delivery receipts.
/// </summary>
public sealed class WebHistoryOptions
{
    public const string SectionName = "Web:Api";

    /// <summary>Bytes the recent-message ring may hold (payloads and topics); the oldest messages make room.</summary>
    public long RecentMessagesMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Payload bytes a list entry carries (GET /api/messages, /api/retained); the full payload is one GET away.</summary>
    public int PayloadPreviewBytes { get; set; } = 4096;

    /// <summary>Largest JSON answer of a list: past it the list is cut and the cursor continues after its last entry.</summary>
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Delivery receipts kept in memory when no database records them (Recorder:RecordDeliveries).</summary>
    public int RecentDeliveriesCapacity { get; set; } = 1000;
}

internal sealed class WebHistoryOptionsValidator : IValidateOptions<WebHistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, WebHistoryOptions options)
    {
        var failures = new List<string>();
        if (options.RecentMessagesMaxBytes < 64 * 1024)
        {
            failures.Add($"Web:Api:RecentMessagesMaxBytes {options.RecentMessagesMaxBytes} must be at least 65536 (bytes), e.g. 67108864.");
        }

        if (options.PayloadPreviewBytes is < 16 or > 1_048_576)
        {
            failures.Add($"Web:Api:PayloadPreviewBytes {options.PayloadPreviewBytes} must be within 16..1048576 (bytes), e.g. 4096.");
        }

        if (options.MaxResponseBytes < 64 * 1024)
        {
            failures.Add($"Web:Api:MaxResponseBytes {options.MaxResponseBytes} must be at least 65536 (bytes), e.g. 4194304.");
        }

        if (options.RecentDeliveriesCapacity is < 1 or > 1_000_000)
        {
            failures.Add($"Web:Api:RecentDeliveriesCapacity {options.RecentDeliveriesCapacity} must be within 1..1000000, e.g. 1000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

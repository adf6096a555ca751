using EmbeddedBroker.Contracts;

namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>
/// Estimated memory a pending change keeps alive, for the byte bound of the pending buffer. An estimate that errs high:
/// a message shared by many changes is charged to each, because the store cannot know when the engine lets it go.
/// </summary>
internal static class ChangeSize
{
    /// <summary>The queued struct, its share of the queue segment and of the batch dictionaries.</summary>
    public const int Overhead = 64;

    public static int Of(string? text) => text is null ? 0 : Overhead + 2 * text.Length;

    public static int Of(MqttApplicationMessage message)
    {
        long size = Overhead + message.Payload.Length + 2L * message.Topic.Length;
        var p = message.Properties;
        if (!p.IsEmpty)
        {
            size += 2L * ((p.ContentType?.Length ?? 0) + (p.ResponseTopic?.Length ?? 0)) + (p.CorrelationData?.Length ?? 0);
            if (p.UserProperties is { } userProperties)
            {
                // Indexed, not foreach: enumerating the interface would allocate on the engine's thread.
                for (var i = 0; i < userProperties.Count; i++)
                {
                    size += Overhead + 2L * (userProperties[i].Name.Length + userProperties[i].Value.Length);
                }
            }
        }
        return (int)Math.Min(size, int.MaxValue);
    }
}

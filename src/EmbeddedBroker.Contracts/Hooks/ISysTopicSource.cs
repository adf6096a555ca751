namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Adds figures to the broker's $SYS topics: every SysInterval the broker asks each source for its values and
/// publishes them retained under "$SYS/broker/" + name (e.g. the store's "store/bytes"). Only the broker's own $SYS
/// publisher may write '$' topics, so this is how another part (the store, the recorder) reports there.
/// </summary>
public interface ISysTopicSource
{
    /// <summary>Appends (topic under $SYS/broker/, value) pairs; called on the broker's maintenance loop, must be quick.</summary>
    void AddSysTopics(ICollection<KeyValuePair<string, string>> topics);
}

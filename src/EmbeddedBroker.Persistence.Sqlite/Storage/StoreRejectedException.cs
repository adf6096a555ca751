namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>A store file that opens but cannot be used (fails its integrity check, is not a broker store, or comes from
/// a newer version); it is moved aside with <see cref="Label"/> in its new name.</summary>
internal sealed class StoreRejectedException(string reason, string label) : Exception(reason)
{
    public string Label { get; } = label;
}

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>
/// Shares equal strings read at load (a publisher's client id on a million retained messages, a content type) so the
/// loaded state keeps one copy of each. Bounded: past <see cref="Capacity"/> distinct values, new ones are kept as read.
/// </summary>
internal sealed class StringPool
{
    public const int Capacity = 65_536;

    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public string Get(string value)
    {
        if (values.TryGetValue(value, out var shared))
        {
            return shared;
        }
        if (values.Count < Capacity)
        {
            values.Add(value, value);
        }
        return value;
    }
}

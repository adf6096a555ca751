using System.Globalization;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>The configuration keys being produced (case-insensitive, like every configuration source), with values
/// written the way the binder reads them: invariant numbers, lower-case booleans, TimeSpans as "c" ("00:01:00").</summary>
internal sealed class ConfValues
{
    private readonly Dictionary<string, string?> values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> origins = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, string?> Values => values;

    /// <summary>Key → "FILE:LINE: KEY" of the line that set it (see <see cref="MosquittoConfiguration.Origins"/>).</summary>
    public IReadOnlyDictionary<string, string> Origins => origins;

    /// <summary>Remembers that <paramref name="line"/> set <paramref name="key"/>, when the key was written.</summary>
    public void SetOrigin(string key, ConfLine? line)
    {
        if (line is not null && values.ContainsKey(key))
        {
            origins[key] = $"{line.Where}: {line.Key}";
        }
    }

    public void Set(string key, string value) => values[key] = value;

    public void Set(string key, bool value) => values[key] = value ? "true" : "false";

    public void Set(string key, long value) => values[key] = value.ToString(CultureInfo.InvariantCulture);

    public void Set(string key, TimeSpan value) => values[key] = value.ToString("c", CultureInfo.InvariantCulture);

    public void SetIfPresent(string key, string? value)
    {
        if (value is not null)
        {
            Set(key, value);
        }
    }

    public void SetIfPresent(string key, bool? value)
    {
        if (value is { } present)
        {
            Set(key, present);
        }
    }

    public void SetIfPresent(string key, long? value)
    {
        if (value is { } present)
        {
            Set(key, present);
        }
    }

    public void SetIfPresent(string key, TimeSpan? value)
    {
        if (value is { } present)
        {
            Set(key, present);
        }
    }
}

using EmbeddedBroker.Configuration.Mosquitto;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Names a setting the way the user wrote it, for start-up and reload messages: "mosquitto.conf:5: keyfile" when a
/// mosquitto.conf line set it, else the configuration key ("Listeners:Endpoints:0:Tls:KeyFile").
/// </summary>
public sealed class SettingOrigins(MosquittoConfiguration? mosquitto)
{
    public MosquittoConfiguration? Mosquitto { get; } = mosquitto;

    public string Describe(string key) =>
        Mosquitto is not null && Mosquitto.Origins.TryGetValue(key, out var origin) ? origin : key;

    /// <summary>The setting (among keys ending in <paramref name="keySuffix"/>) whose value is <paramref name="value"/>,
    /// described as <see cref="Describe"/> does; null when none has it.</summary>
    public string? DescribeValue(IEnumerable<KeyValuePair<string, string?>> settings, string keySuffix, string value) =>
        settings.Where(pair => pair.Key.EndsWith(keySuffix, StringComparison.OrdinalIgnoreCase) && string.Equals(pair.Value, value, StringComparison.Ordinal))
            .Select(pair => Describe(pair.Key))
            .FirstOrDefault();
}

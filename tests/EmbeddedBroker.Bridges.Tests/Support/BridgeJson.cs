using System.Text.Json.Nodes;

namespace EmbeddedBroker.Bridges.Tests.Support;

/// <summary>Bridge entries for appsettings, as a test writes them.</summary>
internal static class BridgeJson
{
    /// <summary>A bridge to 127.0.0.1:<paramref name="remotePort"/> retrying every second, with the given topic lines
    /// ("pattern direction qos").</summary>
    public static JsonObject To(int remotePort, string name, params string[] topics) => new()
    {
        ["Name"] = name,
        ["Addresses"] = new JsonArray($"127.0.0.1:{remotePort}"),
        ["RemoteClientId"] = name,
        ["RestartTimeout"] = 1,
        ["Topics"] = new JsonArray([.. topics.Select(Topic)]),
    };

    public static JsonObject With(this JsonObject bridge, string key, JsonNode? value)
    {
        bridge[key] = value;
        return bridge;
    }

    private static JsonObject Topic(string line)
    {
        var words = line.Split(' ');
        return new JsonObject { ["Pattern"] = words[0], ["Direction"] = words[1], ["Qos"] = int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture) };
    }
}

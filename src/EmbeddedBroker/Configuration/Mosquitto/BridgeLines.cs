using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>The two bridge lines with a grammar of their own: <c>address</c> and <c>topic</c>.</summary>
internal static class BridgeLines
{
    private const int DefaultPort = 1883;

    /// <summary>The placeholder Mosquitto reads as an empty prefix (or an empty pattern).</summary>
    private const string Empty = "\"\"";

    /// <summary><c>address host[:port] [host[:port] ...]</c>, once per bridge. As in Mosquitto, the port follows the
    /// last ':', so an IPv6 address needs one ("::1:1883"); written as "[::1]:1883".</summary>
    public static void Addresses(ConfState state, ConfLine line)
    {
        var bridge = state.BridgeFor(line);
        if (bridge.AddressLine is { } first)
        {
            throw line.Error($"bridge '{bridge.Name}' already has its addresses at {first.Where} (Mosquitto refuses a second address line)",
                "list every address on one line: `address host1:port host2:port`");
        }

        foreach (var word in line.Words.TakeWhile(w => !w.StartsWith('#')))
        {
            bridge.Addresses.Add(Address(line, word));
        }

        if (bridge.Addresses.Count == 0)
        {
            throw line.Error("no address", "write `address HOST[:PORT]`, e.g. `address broker.example.com:1883`");
        }

        bridge.AddressLine = line;
    }

    /// <summary><c>topic PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX]</c>. As in Mosquitto a comment may
    /// follow from the QoS on; <c>""</c> is an empty pattern or prefix.</summary>
    public static void Topic(ConfState state, ConfLine line)
    {
        var bridge = state.BridgeFor(line);
        var words = line.Words.TakeWhile((w, i) => i < 2 || !w.StartsWith('#')).ToList();
        if (words.Count == 0)
        {
            throw line.Error("no pattern", "write `topic PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX]`, e.g. `topic sensors/# out 1`");
        }

        if (words.Count > 5)
        {
            throw line.Error($"unexpected '{words[5]}' after the remote prefix", "write `topic PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX]`");
        }

        var pattern = words[0] == Empty ? "" : words[0];
        if (pattern.Length > 0 && !MqttTopic.IsValidTopicFilter(pattern))
        {
            throw line.Error($"'{pattern}' is not a topic filter", "use a filter such as sensors/# or site/+/temperature");
        }

        var direction = words.Count > 1 ? words[1].ToLowerInvariant() : "out";
        if (direction is not ("in" or "out" or "both"))
        {
            throw line.Error($"'{words[1]}' is not a direction", "use in, out or both (a comment may only follow the QoS)");
        }

        var qos = 0;
        if (words.Count > 2 && (!int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out qos) || qos > 2))
        {
            throw line.Error($"'{words[2]}' is not a QoS", "use 0, 1 or 2");
        }

        var localPrefix = Prefix(line, words, 3, "local");
        var remotePrefix = Prefix(line, words, 4, "remote");
        if (pattern.Length == 0 && (localPrefix is null || remotePrefix is null))
        {
            throw line.Error("an empty pattern needs both a local and a remote prefix (Mosquitto: \"Invalid bridge remapping\")",
                "write `topic \"\" in 0 local/topic remote/topic` or give a pattern");
        }

        bridge.Topics.Add(new ConfBridgeTopic(pattern, direction, qos, localPrefix, remotePrefix));
    }

    public static int Seconds(ConfLine line, string word) =>
        int.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw line.Error($"'{word}' is not a whole number of seconds", "write `restart_timeout SECONDS` or `restart_timeout BASE CAP`");

    private static string Address(ConfLine line, string word)
    {
        var colon = word.LastIndexOf(':');
        var host = colon < 0 ? word : word[..colon];
        var port = DefaultPort;
        if (colon >= 0 && !ConfLine.TryParsePort(word[(colon + 1)..], out port))
        {
            throw line.Error($"'{word}' has no valid port after its last ':'", "write HOST:PORT with a port 1..65535 (an IPv6 address needs its port, e.g. ::1:1883)");
        }

        if (host.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{ip}]:{port}"
                : throw line.Error($"'{word}' is not HOST:PORT (Mosquitto takes the port after the last ':', so an IPv6 address needs its port)",
                    "write e.g. ::1:1883 or fd00::2:8883");
        }

        return Uri.CheckHostName(host) == UriHostNameType.Unknown
            ? throw line.Error($"'{host}' is not a host name or IP address", "write HOST[:PORT], e.g. broker.example.com:1883")
            : $"{host}:{port}";
    }

    private static string? Prefix(ConfLine line, List<string> words, int index, string side)
    {
        if (words.Count <= index || words[index] == Empty)
        {
            return null;
        }

        var prefix = words[index];
        return MqttTopic.IsValidTopicName(prefix)
            ? prefix
            : throw line.Error($"'{prefix}' is not a valid {side} prefix", "a prefix is a topic without + or #, e.g. site-a/ (or \"\" for none)");
    }
}

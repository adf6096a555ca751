using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EmbeddedBroker.Bridges.Options;

/// <summary>One remote address: "host:port", "host" (port 1883), "[v6]:port".</summary>
public readonly record struct BridgeAddress(string Host, int Port)
{
    public const int DefaultPort = 1883;

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public static bool TryParse(string? text, out BridgeAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        string host;
        var port = DefaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(text[1..close], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryParsePort(rest[1..], out port)))
            {
                return false;
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0 && !TryParsePort(text[(colon + 1)..], out port))
            {
                return false;
            }

            if (host.Contains(':', StringComparison.Ordinal) || Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                return false;
            }
        }

        address = new BridgeAddress(host, port);
        return true;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
}

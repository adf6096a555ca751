using EmbeddedBroker.Hosting.Endpoints;
using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// What <c>--bind</c> and <c>--ws-bind</c> mean beyond their own keys: <c>--bind ADDRESS</c> keeps the whole broker on
/// that address, so it also moves the WebSocket/HTTP listener unless <c>--ws-bind</c> says otherwise; and with a
/// mosquitto.conf (whose listeners replace the built-in ones) <c>--bind</c> moves every MQTT listener of the file and
/// <c>--ws-bind</c> (or <c>--bind</c>) every websockets listener, their bind_interface included. A listener address
/// the command line sets itself (<c>--Listeners:Endpoints:0:Address</c>) is left as given.
/// </summary>
internal static class BindOverrides
{
    public const string MqttAddressKey = "Listeners:Mqtt:Address";
    public const string WebSocketAddressKey = "Listeners:WebSocket:Address";

    public static Dictionary<string, string?> For(IConfiguration lower, IReadOnlyDictionary<string, string?> commandLine)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        commandLine.TryGetValue(MqttAddressKey, out var mqtt);
        commandLine.TryGetValue(WebSocketAddressKey, out var webSocket);
        webSocket ??= mqtt;
        if (mqtt is null && webSocket is null)
        {
            return result;
        }

        if (webSocket is not null && !commandLine.ContainsKey(WebSocketAddressKey))
        {
            result[WebSocketAddressKey] = webSocket;
        }

        foreach (var endpoint in lower.GetSection(EndpointOptions.SectionName).GetChildren())
        {
            var address = string.Equals(endpoint[nameof(EndpointOptions.Protocol)], EndpointOptions.WebSockets, StringComparison.OrdinalIgnoreCase)
                ? webSocket
                : mqtt;
            var addressKey = $"{endpoint.Path}:{nameof(EndpointOptions.Address)}";
            if (address is not null && !commandLine.ContainsKey(addressKey))
            {
                result[addressKey] = address;
                result[$"{endpoint.Path}:{nameof(EndpointOptions.BindInterface)}"] = "";
            }
        }

        return result;
    }
}

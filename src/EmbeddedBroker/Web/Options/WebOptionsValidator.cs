using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Options;

/// <summary>Stops start-up with messages that name the key and the fix, like the other listener validators.</summary>
internal sealed class WebOptionsValidator(IOptions<WebSocketListenerOptions> webSocket, IOptions<HttpListenerOptions> http) : IValidateOptions<WebOptions>
{
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        var failures = new List<string>();
        var ws = webSocket.Value;
        var plain = http.Value;

        CheckListener(failures, WebSocketListenerOptions.SectionName, ws.Port, ws.Address, "--ws-port 9001");
        CheckListener(failures, HttpListenerOptions.SectionName, plain.Port, plain.Address, "--Listeners:Http:Port 8080");
        if (ws.Enabled && plain.Enabled && ws.Port != 0 && ws.Port == plain.Port)
        {
            failures.Add($"{HttpListenerOptions.SectionName}:Port {plain.Port} is also the WebSocket port: choose another port for one of them.");
        }

        if (ws.MaxMessageSize <= 0)
        {
            failures.Add($"{WebSocketListenerOptions.SectionName}:MaxMessageSize {ws.MaxMessageSize} must be positive (bytes); the default is {WebSocketListenerOptions.LargestMqttPacket}.");
        }

        if (options.Api.MaxRequestBodyBytes <= 0)
        {
            failures.Add($"Web:Api:MaxRequestBodyBytes {options.Api.MaxRequestBodyBytes} must be positive (bytes), e.g. 1048576.");
        }

        if (options.Api.RecentMessagesCapacity is < 1 or > 1_000_000)
        {
            failures.Add($"Web:Api:RecentMessagesCapacity {options.Api.RecentMessagesCapacity} must be within 1..1000000, e.g. 1000.");
        }

        foreach (var (endpointName, endpoint) in options.All())
        {
            if (!endpoint.Enabled)
            {
                continue;
            }

            if (endpoint.On is WebListener.Http && !plain.Enabled)
            {
                failures.Add($"Web:{endpointName}:On is Http but {HttpListenerOptions.SectionName}:Enabled is false: enable that listener or use WebSocket.");
            }

            if (endpoint.On is WebListener.WebSocket && !ws.Enabled && plain.Enabled)
            {
                failures.Add($"Web:{endpointName}:On is WebSocket but {WebSocketListenerOptions.SectionName}:Enabled is false: use Http, or disable the endpoint.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckListener(List<string> failures, string section, int port, string address, string example)
    {
        if (port is < 0 or > 65535)
        {
            failures.Add($"{section}:Port {port} is not a TCP port: use 1..65535 (e.g. {example}), or 0 for any free port.");
        }

        if (!EmbeddedBroker.Hosting.ListenAddresses.IsValid(address))
        {
            failures.Add($"{section}:Address '{address}' is not an IP address or host name: use 0.0.0.0 (all interfaces), 127.0.0.1 or localhost (this machine only).");
        }
    }
}

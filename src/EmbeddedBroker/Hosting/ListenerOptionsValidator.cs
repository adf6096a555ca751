using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>Stops start-up with a message that names the key and the fix.</summary>
internal sealed class ListenerOptionsValidator : IValidateOptions<ListenerOptions>
{
    public ValidateOptionsResult Validate(string? name, ListenerOptions options)
    {
        var failures = new List<string>();
        var mqtt = options.Mqtt;
        if (mqtt.Port is < 0 or > 65535)
        {
            failures.Add($"Listeners:Mqtt:Port {mqtt.Port} is not a TCP port: use 1..65535 (e.g. --port 1883), or 0 for any free port.");
        }

        if (!ListenAddresses.IsValid(mqtt.Address))
        {
            failures.Add($"Listeners:Mqtt:Address '{mqtt.Address}' is not an IP address or host name: use 0.0.0.0 (all interfaces), 127.0.0.1 or localhost (this machine only).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

using EmbeddedBroker.Hosting.Endpoints;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>Stops start-up with a message that names the key and the fix.</summary>
internal sealed class ListenerOptionsValidator : IValidateOptions<ListenerOptions>
{
    /// <summary>Names the built-in listeners use; an endpoint may not take them (per-listener security is keyed by name).</summary>
    private static readonly string[] BuiltInNames = [MqttTcpListenerOptions.ListenerName, "websocket", "http"];

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

        if (mqtt.MaxConnections < -1 || options.MaxConnectionsPerAddress < 0)
        {
            failures.Add("Listeners:Mqtt:MaxConnections must be -1 (no limit) or more, Listeners:MaxConnectionsPerAddress 0 (no limit) or more.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var endpoint = options.Endpoints[i];
            if (!names.Add(endpoint.EffectiveName) || BuiltInNames.Contains(endpoint.EffectiveName))
            {
                failures.Add($"{EndpointOptions.SectionName}:{i}:Name '{endpoint.EffectiveName}' is already used by another listener: give each listener its own name.");
            }

            ValidateEndpoint(failures, $"{EndpointOptions.SectionName}:{i}", endpoint);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateEndpoint(List<string> failures, string prefix, EndpointOptions endpoint)
    {
        if (endpoint.Port is < 0 or > 65535)
        {
            failures.Add($"{prefix}:Port {endpoint.Port} is not a TCP port: use 1..65535 (e.g. 8883 for TLS), or 0 for any free port.");
        }

        if (!ListenAddresses.IsValid(endpoint.Address))
        {
            failures.Add($"{prefix}:Address '{endpoint.Address}' is not an IP address or host name: use 0.0.0.0 (all interfaces) or 127.0.0.1 (this machine only).");
        }

        if (endpoint.Protocol is not (EndpointOptions.Mqtt or EndpointOptions.WebSockets))
        {
            failures.Add($"{prefix}:Protocol '{endpoint.Protocol}' is not a listener protocol: use mqtt or websockets.");
        }

        if (endpoint.SocketDomain is { } domain && EndpointAddresses.Family(domain) is null)
        {
            failures.Add($"{prefix}:SocketDomain '{domain}' is not a socket domain: use ipv4 or ipv6, or leave it out for both.");
        }

        if (endpoint.MaxConnections < -1)
        {
            failures.Add($"{prefix}:MaxConnections {endpoint.MaxConnections} must be -1 (no limit) or more.");
        }

        if (endpoint.Tls is { } tls)
        {
            ValidateTls(failures, $"{prefix}:Tls", tls);
        }
    }

    private static void ValidateTls(List<string> failures, string prefix, EndpointTlsOptions tls)
    {
        var hasCertificate = !string.IsNullOrEmpty(tls.CertFile);
        if (hasCertificate != !string.IsNullOrEmpty(tls.KeyFile))
        {
            failures.Add($"{prefix}: CertFile and KeyFile go together (a TLS listener needs both): give both, or neither for a plain listener.");
        }

        if (!hasCertificate && (tls.HasClientCas || tls.RequireCertificate || tls.UseIdentityAsUsername || tls.UseSubjectAsUsername || tls.Version is not null || tls.Ciphers is not null))
        {
            failures.Add($"{prefix}: client certificates, versions and ciphers need a TLS listener: add CertFile and KeyFile, or remove them.");
        }

        if (tls.RequireCertificate && !tls.HasClientCas)
        {
            failures.Add($"{prefix}:RequireCertificate needs CaFile or CaPath: the CAs client certificates must be signed by.");
        }

        if (tls.Version is { } version && version is not ("tlsv1.2" or "tlsv1.3"))
        {
            failures.Add($"{prefix}:Version '{version}' is not supported: use tlsv1.2 (TLS 1.2 and 1.3) or tlsv1.3 (TLS 1.3 only).");
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EmbeddedBroker.Configuration.Mosquitto;
using EmbeddedBroker.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Turns the expected reasons not to start into the one line the user reads (cause and fix), so that none of them
/// ends in a stack trace: bad configuration, a port in use, an address that is not this machine's, a port that needs
/// privileges, an unknown host name, an output folder that cannot be written, a settings file that cannot be read.
/// </summary>
internal static partial class StartupFailure
{
    /// <summary>The log categories that report a failed start with its stack trace (the host's and Kestrel's).</summary>
    private static readonly string[] HostingCategories = ["Microsoft.Extensions.Hosting", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>The message for <paramref name="error"/>, or null when it is not an expected start-up failure (a bug: let it crash).</summary>
    public static string? Describe(Exception error, IConfiguration? configuration)
    {
        if (Find<StartupException>(error) is { } startup)
        {
            return startup.Message;
        }

        if (Find<MosquittoConfigurationException>(error) is { } mosquittoConf)
        {
            return mosquittoConf.Message;
        }

        if (Find<SecurityFileException>(error) is { } securityFile)
        {
            return securityFile.Message; // SecurityStartup names the setting too; this is the safety net
        }

        if (Find<OptionsValidationException>(error) is { } invalid)
        {
            return "invalid configuration: " + string.Join(" ", invalid.Failures);
        }

        if (Find<SocketException>(error) is { } socket && IsBindError(socket.SocketErrorCode))
        {
            var endPoint = BoundAddress().Match(Find<IOException>(error)?.Message ?? "");
            return endPoint.Success
                ? DescribeBind(socket, endPoint.Groups["host"].Value, int.Parse(endPoint.Groups["port"].Value, CultureInfo.InvariantCulture), configuration)
                : DescribeBind(socket, FirstUnassignable(configuration) ?? "?", 0, configuration);
        }

        if (Find<InvalidOperationException>(error) is { } binder && UnknownKeys().Match(binder.Message) is { Success: true } unknown)
        {
            var type = unknown.Groups["type"].Value;
            return $"unknown setting(s) {unknown.Groups["keys"].Value} for {type}: check the spelling (keys are case-insensitive); "
                + (type.Contains("Security", StringComparison.Ordinal)
                    ? "docs/security.md lists every Security key."
                    : "every Broker key is a property of src/EmbeddedBroker.Broker/Options/MqttBrokerOptions.cs.");
        }

        return error switch
        {
            FileNotFoundException or InvalidDataException => error.Message,
            FormatException format => format.InnerException is { } inner ? $"{format.Message} {inner.Message}" : format.Message,
            _ => null,
        };
    }

    /// <summary>
    /// True for a hosting log event about a failure <see cref="Describe"/> reports itself: that line, with its stack
    /// trace, is left out of the log. Other categories keep every exception.
    /// </summary>
    public static bool IsReportedByHost(string? category, Exception? error) =>
        error is not null && category is not null && HostingCategories.Any(c => category.StartsWith(c, StringComparison.Ordinal))
        && Describe(error, null) is not null;

    private static bool IsBindError(SocketError code) =>
        code is SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable or SocketError.AccessDenied;

    private static string DescribeBind(SocketException socket, string host, int port, IConfiguration? configuration)
    {
        var (listener, portOption, addressSetting) = ListenerFor(port, configuration);
        return socket.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse =>
                $"port {port} ({listener}, {host}) is already in use by another program (a system Mosquitto? stop it with 'sudo systemctl stop mosquitto'), or choose another port with {portOption} N.",
            SocketError.AddressNotAvailable =>
                $"address {host} ({addressSetting}) is not an address of this machine ({socket.Message}): use 0.0.0.0 (all interfaces), 127.0.0.1, or one that 'ip -brief address' lists.",
            _ => $"port {port} ({listener}) needs administrator rights ({socket.Message}): choose a port above 1023 with {portOption} N, or grant CAP_NET_BIND_SERVICE.",
        };
    }

    /// <summary>Which configured listener a port belongs to, and the settings that move it.</summary>
    private static (string Listener, string PortOption, string AddressSetting) ListenerFor(int port, IConfiguration? configuration)
    {
        if (configuration is not null && port > 0 && configuration.GetValue<int?>("Listeners:Mqtt:Port") != port)
        {
            if (configuration.GetValue<int?>("Listeners:WebSocket:Port") == port)
            {
                return ("MQTT over WebSocket and HTTP", "--ws-port", "Listeners:WebSocket:Address");
            }

            if (configuration.GetValue<int?>("Listeners:Http:Port") == port)
            {
                return ("HTTP", "--Listeners:Http:Port", "Listeners:Http:Address");
            }
        }

        return ("MQTT", "--port", "Listeners:Mqtt:Address, --bind");
    }

    /// <summary>Kestrel reports "Cannot assign requested address" without the address: find the configured one this machine does not have.</summary>
    private static string? FirstUnassignable(IConfiguration? configuration)
    {
        foreach (var key in new[] { "Listeners:Mqtt:Address", "Listeners:WebSocket:Address", "Listeners:Http:Address" })
        {
            if (IPAddress.TryParse(configuration?[key], out var address))
            {
                try
                {
                    using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    probe.Bind(new IPEndPoint(address, 0));
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
                {
                    return address.ToString();
                }
            }
        }

        return null;
    }

    private static T? Find<T>(Exception error)
        where T : Exception
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>Kestrel's "Failed to bind to address http://127.0.0.1:1883: address already in use."</summary>
    [GeneratedRegex(@"https?://(?<host>\[[^\]]+\]|[^:/\s]+):(?<port>\d+)")]
    private static partial Regex BoundAddress();

    /// <summary>The configuration binder's "... the following properties were not found on the instance of T: 'A', 'B'".</summary>
    [GeneratedRegex(@"ErrorOnUnknownConfiguration.*instance of (?<type>[\w.]+): (?<keys>.+)$")]
    private static partial Regex UnknownKeys();
}

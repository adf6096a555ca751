using EmbeddedBroker.Bridging;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Cli;
using EmbeddedBroker.Hosting.Admission;
using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Hosting.Security;
using EmbeddedBroker.Persistence.Sqlite;
using EmbeddedBroker.LiveConsole;
using EmbeddedBroker.RecordMode;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Replay;
using EmbeddedBroker.Security.Editing;
using EmbeddedBroker.Simulation;
using EmbeddedBroker.Web;
using EmbeddedBroker.Web.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Composition root: one generic host (Kestrel inside) running the MQTT broker, its listeners and the recorder.
/// Program.cs only calls <see cref="RunAsync"/>; tests call <see cref="Build(string[])"/> to get the very same host.
/// </summary>
public static class EmbeddedBrokerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args is ["passwd", .. var passwordArguments])
        {
            // mosquitto_passwd's own argument rules, messages and exit codes.
            return new PasswordFileEditor(Console.Out, Console.Error, new ConsolePasswordPrompt()).Run(passwordArguments);
        }

        var commandLine = CommandLineParser.Parse(args);
        if (commandLine.ShowHelp || commandLine.ShowVersion)
        {
            return commandLine.WriteHelpOrVersion(Console.Out);
        }

        if (!commandLine.IsValid)
        {
            await Console.Error.WriteLineAsync(string.Join(Environment.NewLine + "  ",
                ["EmbeddedBroker cannot start: the command line is not valid:", .. commandLine.Errors]));
            await Console.Error.WriteLineAsync("EmbeddedBroker --help lists every option; any setting can also be given as --Section:Key VALUE.");
            return HostRunner.StartupFailedExitCode;
        }

        return commandLine.Command switch
        {
            CliCommand.HealthCheck => await HealthCheck.RunAsync(commandLine),
            CliCommand.Replay => await ReplayCommand.RunAsync(commandLine),
            CliCommand.Record => await HostRunner.RunAsync(() => RecordModeHost.Build(commandLine)),
            _ => await HostRunner.RunAsync(() => Build(commandLine)),
        };
    }

    /// <summary>The broker host for a command line given as words (tests); throws <see cref="CommandLineException"/> when it is not valid.</summary>
    public static WebApplication Build(string[] args)
    {
        var commandLine = CommandLineParser.Parse(args);
        if (!commandLine.IsValid)
        {
            throw new CommandLineException(string.Join(Environment.NewLine, commandLine.Errors));
        }

        return Build(commandLine);
    }

    public static WebApplication Build(ParsedCommandLine commandLine)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });

        var mosquittoConf = ConfigurationSetup.Apply(builder.Configuration, commandLine);
        SharedHostServices.Add(builder.Services, builder.Configuration);

        // First: its StartingAsync runs before any service starts, so nothing listens before the folder is known writable.
        builder.Services.AddHostedService<StartupChecks>();
        builder.Services.AddSingleton(new SettingOrigins(mosquittoConf));
        builder.Services.AddSingleton<IValidateOptions<ListenerOptions>, ListenerOptionsValidator>();
        builder.Services.AddOptions<ListenerOptions>()
            .Bind(builder.Configuration.GetSection(ListenerOptions.SectionName))
            .ValidateOnStart();
        var listeners = builder.Configuration.GetSection(ListenerOptions.SectionName).Get<ListenerOptions>() ?? new ListenerOptions();
        SecuritySetup.Add(builder.Services, builder.Configuration, listeners);
        builder.Services.AddHostedService<StartupWarnings>();
        AddListenerServices(builder);

        // The store first: it starts before the broker loads from it and stops after the broker's last change.
        builder.Services.AddSqlitePersistence(builder.Configuration.GetSection(PersistenceOptions.SectionName));
        builder.Services.AddMqttBroker(builder.Configuration.GetSection("Broker"));
        builder.Services.AddHostedService<FastStop>();
        builder.Services.AddMqttRecorder(builder.Configuration.GetSection("Recorder"));
        builder.Services.AddBridges(builder.Configuration);
        SharedHostServices.AddRecorderHealth(builder.Services);
        builder.AddWebEndpoints();
        builder.Services.AddBrokerMetrics();
        builder.Services.AddHostedService<ListenerAnnouncer>();
        builder.Services.AddOptions<ReloadOptions>().Bind(builder.Configuration.GetSection(ReloadOptions.SectionName));
        builder.Services.AddHostedService<ReloadService>();
        builder.Services.AddSensorSimulator(builder.Configuration.GetSection(SimulatorOptions.SectionName));
        builder.Services.AddLiveConsole(builder.Configuration.GetSection(LiveConsoleOptions.SectionName));

        builder.Services.AddConnectionAdmission(builder.Configuration);
        builder.WebHost.ConfigureKestrel((context, kestrel) => ConfigureListeners(context.Configuration, kestrel));

        var app = builder.Build();
        app.UseRequestLogging();
        app.MapWebEndpoints();
        return app;
    }

    /// <summary>What the listeners share: the registry they are announced from, connection limits, TLS listeners (for
    /// reloads) and the socket factory that makes socket_domain ipv6 listeners IPv6-only.</summary>
    private static void AddListenerServices(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ListenerRegistry>();
        builder.Services.AddSingleton<TlsEndpoints>();
        builder.Services.AddSingleton<IPv6OnlySockets>();
        builder.Services.AddSingleton(sp => new ConnectionLimits(
            sp.GetRequiredService<IOptions<ListenerOptions>>().Value, sp.GetRequiredService<ILogger<ConnectionLimits>>()));
        builder.WebHost.UseSockets();
        builder.Services.AddOptions<SocketTransportOptions>()
            .Configure<IPv6OnlySockets>((sockets, ipv6Only) => sockets.CreateBoundListenSocket = ipv6Only.Create);
    }

    private static void ConfigureListeners(IConfiguration configuration, KestrelServerOptions kestrel)
    {
        var listeners = configuration.GetSection(ListenerOptions.SectionName).Get<ListenerOptions>() ?? new ListenerOptions();
        var registry = kestrel.ApplicationServices.GetRequiredService<ListenerRegistry>();
        if (listeners.Mqtt.Enabled && ListenAddresses.IsValid(listeners.Mqtt.Address))
        {
            var handler = EndpointBinder.LazyHandler(kestrel.ApplicationServices);
            ListenAddresses.Bind(kestrel, listeners.Mqtt.Address, listeners.Mqtt.Port, o =>
            {
                EndpointBinder.AddCommonMiddleware(o, MqttTcpListenerOptions.ListenerName, listeners.Mqtt.MaxConnections, secure: null, kestrel.ApplicationServices);
                o.Run(connection => handler.Value.ServeAsync(connection, MqttTcpListenerOptions.ListenerName));
                registry.Add("mqtt", o, MqttTcpListenerOptions.ListenerName);
            }, "Listeners:Mqtt:Address (--bind)");
        }

        if (new ListenerOptionsValidator().Validate(null, listeners).Succeeded)
        {
            EndpointBinder.Bind(kestrel, listeners); // else ValidateOnStart reports every problem at once
        }
    }
}

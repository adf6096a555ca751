using System.Net;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Cli;
using EmbeddedBroker.Persistence.Sqlite;
using EmbeddedBroker.LiveConsole;
using EmbeddedBroker.RecordMode;
using EmbeddedBroker.Simulation;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Composition root: one generic host (Kestrel inside) running the MQTT broker, its listeners and the recorder.
/// Program.cs only calls <see cref="RunAsync"/>; tests call <see cref="Build"/> to get the very same host.
/// </summary>
public static class EmbeddedBrokerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var commandLine = CommandLineParser.Parse(args);
        if (commandLine.ShowHelp)
        {
            await Console.Out.WriteAsync(HelpText.For(commandLine.Command));
            return commandLine.IsValid ? 0 : 2;
        }

        if (!commandLine.IsValid)
        {
            await WriteStartErrorAsync(string.Join(Environment.NewLine + "  - ", ["the command line is not valid:", .. commandLine.Errors])
                + Environment.NewLine + "EmbeddedBroker --help lists every option.");
            return 2;
        }

        if (commandLine.ShowVersion)
        {
            await Console.Out.WriteLineAsync(typeof(EmbeddedBrokerHost).Assembly.GetName().Version?.ToString() ?? "unknown");
            return 0;
        }

        return commandLine.Command switch
        {
            CliCommand.HealthCheck => await HealthCheck.RunAsync(commandLine),
            CliCommand.Record => await RunHostAsync(() => RecordModeHost.Build(commandLine)),
            _ => await RunHostAsync(() => Build(commandLine)),
        };
    }

    private static async Task<int> RunHostAsync(Func<IHost> build)
    {
        IHost app;
        try
        {
            app = build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or FileNotFoundException or InvalidDataException)
        {
            await WriteStartErrorAsync(ex.Message);
            return 2;
        }

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            // Bad configuration stops start-up with every failure, each naming its key and the fix.
            await WriteStartErrorAsync(string.Join(Environment.NewLine + "  - ", ["invalid configuration:", .. ex.Failures]));
            return 2;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException or null)
        {
            await WriteStartErrorAsync($"{ex.Message} (is another broker already using the port? choose another with --port N)");
            return 2;
        }
    }

    private static Task WriteStartErrorAsync(string message) => Console.Error.WriteLineAsync($"EmbeddedBroker cannot start: {message}");

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

        ConfigurationSetup.Apply(builder.Configuration, commandLine);

        var serilogLogger = LoggingSetup.CreateLogger(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(serilogLogger, dispose: true);

        // Docker sends SIGKILL 10 s after SIGTERM: leave time to drain the recorder and close sessions before that.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));

        builder.Services.AddSingleton<IValidateOptions<ListenerOptions>, ListenerOptionsValidator>();
        builder.Services.AddOptions<ListenerOptions>()
            .Bind(builder.Configuration.GetSection(ListenerOptions.SectionName))
            .ValidateOnStart();

        // The store first: it starts before the broker loads from it and stops after the broker's last change.
        builder.Services.AddSqlitePersistence(builder.Configuration.GetSection(PersistenceOptions.SectionName));
        builder.Services.AddMqttBroker(builder.Configuration.GetSection("Broker"));
        builder.Services.AddMqttRecorder(builder.Configuration.GetSection("Recorder"));
        builder.AddWebEndpoints();
        builder.Services.AddSingleton<ListenerRegistry>();
        builder.Services.AddHostedService<ListenerAnnouncer>();
        builder.Services.AddSensorSimulator(builder.Configuration.GetSection(SimulatorOptions.SectionName));
        builder.Services.AddLiveConsole(builder.Configuration.GetSection(LiveConsoleOptions.SectionName));

        builder.WebHost.ConfigureKestrel((context, kestrel) => ConfigureListeners(context.Configuration, kestrel));

        var app = builder.Build();
        app.MapWebEndpoints();
        return app;
    }

    private static void ConfigureListeners(IConfiguration configuration, KestrelServerOptions kestrel)
    {
        var listeners = configuration.GetSection(ListenerOptions.SectionName).Get<ListenerOptions>() ?? new ListenerOptions();
        var registry = kestrel.ApplicationServices.GetRequiredService<ListenerRegistry>();
        if (listeners.Mqtt.Enabled && IPAddress.TryParse(listeners.Mqtt.Address, out var address))
        {
            // 0.0.0.0 means "every interface": bind IPv6Any too (dual stack), as Mosquitto's default listener does.
            Action<ListenOptions> useMqtt = o =>
            {
                o.UseConnectionHandler<MqttConnectionHandler>();
                registry.Add("mqtt", o);
            };
            if (address.Equals(IPAddress.Any))
            {
                kestrel.ListenAnyIP(listeners.Mqtt.Port, useMqtt);
            }
            else
            {
                kestrel.Listen(address, listeners.Mqtt.Port, useMqtt);
            }
        }
    }
}

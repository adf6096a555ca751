using System.Net;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Recorder;
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
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync($"EmbeddedBroker cannot start: {ex.Message}");
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
            await Console.Error.WriteLineAsync("EmbeddedBroker cannot start: invalid configuration:");
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"  - {failure}");
            }

            return 2;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException or null)
        {
            await Console.Error.WriteLineAsync($"EmbeddedBroker cannot start: {ex.Message} (is another broker already using the port? choose another with --port N)");
            return 2;
        }
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        ConfigurationSetup.Apply(builder.Configuration, args);

        var serilogLogger = LoggingSetup.CreateLogger(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(serilogLogger, dispose: true);

        // Docker sends SIGKILL 10 s after SIGTERM: leave time to drain the recorder and close sessions before that.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));

        builder.Services.AddSingleton<IValidateOptions<ListenerOptions>, ListenerOptionsValidator>();
        builder.Services.AddOptions<ListenerOptions>()
            .Bind(builder.Configuration.GetSection(ListenerOptions.SectionName))
            .ValidateOnStart();

        builder.Services.AddMqttBroker(builder.Configuration.GetSection("Broker"));
        builder.Services.AddMqttRecorder(builder.Configuration.GetSection("Recorder"));
        builder.Services.AddSingleton<ListenerRegistry>();
        builder.Services.AddHostedService<ListenerAnnouncer>();

        builder.WebHost.ConfigureKestrel((context, kestrel) => ConfigureListeners(context.Configuration, kestrel));

        return builder.Build();
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

using EmbeddedBroker.Cli;
using EmbeddedBroker.Hosting;
using EmbeddedBroker.LiveConsole;
using EmbeddedBroker.Recorder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.RecordMode;

/// <summary>
/// The host for `record`: no broker and no listeners, only the recorder, the recording client and the console,
/// with the same configuration sources and logging as the broker.
/// </summary>
public static class RecordModeHost
{
    public static IHost Build(ParsedCommandLine commandLine)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = true,
        });
        ConfigurationSetup.Apply(builder.Configuration, commandLine);

        SharedHostServices.Add(builder.Services, builder.Configuration);
        builder.Services.AddHostedService<StartupChecks>();
        builder.Services.AddHostedService<FastStop>();

        // Order matters: hosted services stop in reverse order, so the client disconnects before the recorder drains.
        builder.Services.AddMqttRecorder(builder.Configuration.GetSection("Recorder"));
        SharedHostServices.AddRecorderHealth(builder.Services);
        builder.Services.AddSingleton<RecordConnectionStatus>();
        builder.Services.AddSingleton<IConnectionStatus>(sp => sp.GetRequiredService<RecordConnectionStatus>());
        builder.Services.AddSingleton<IValidateOptions<RecordOptions>, RecordOptionsValidator>();
        builder.Services.AddOptions<RecordOptions>().Bind(builder.Configuration.GetSection(RecordOptions.SectionName)).ValidateOnStart();
        builder.Services.AddHostedService<RecordingClient>();
        builder.Services.AddLiveConsole(builder.Configuration.GetSection(LiveConsoleOptions.SectionName));
        return builder.Build();
    }
}

using EmbeddedBroker.LiveConsole;
using EmbeddedBroker.Web.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace EmbeddedBroker.Hosting;

/// <summary>What the broker's host and record mode's host share: logging, the stop deadline, the recorder's health.</summary>
internal static class SharedHostServices
{
    /// <summary>Docker sends SIGKILL 10 s after SIGTERM: the recorder's drain must end before that, whatever the disk does.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(8);

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var capture = new ConsoleLogCapture();
        services.AddSingleton(capture);
        services.AddSerilog(LoggingSetup.CreateLogger(configuration, capture), dispose: true);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
    }

    public static void AddRecorderHealth(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RecorderHealth>();
    }
}

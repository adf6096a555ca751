using EmbeddedBroker.Recorder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// Runs a host (the broker's or record mode's) to its end and turns the outcome into the exit code: 0 after a clean
/// stop; 2 with one line on stderr for an expected start-up failure (<see cref="StartupFailure"/>); 1 with one line
/// when the recorder could not write everything (<see cref="RecorderStopReport"/>).
/// </summary>
internal static class HostRunner
{
    public const int StartupFailedExitCode = 2;

    public static async Task<int> RunAsync(Func<IHost> build)
    {
        IHost app;
        try
        {
            app = build();
        }
        catch (Exception ex) when (StartupFailure.Describe(ex, null) is { } message)
        {
            await WriteStartErrorAsync(message);
            return StartupFailedExitCode;
        }

        var configuration = app.Services.GetRequiredService<IConfiguration>();
        try
        {
            try
            {
                await app.StartAsync();
            }
            catch (Exception ex) when (StartupFailure.Describe(ex, configuration) is { } message)
            {
                await WriteStartErrorAsync(message);
                return StartupFailedExitCode;
            }

            await app.WaitForShutdownAsync();
            return await ReportRecorderAsync(app.Services);
        }
        finally
        {
            await DisposeAsync(app);
        }
    }

    public static Task WriteStartErrorAsync(string message) => Console.Error.WriteLineAsync($"EmbeddedBroker cannot start: {message}");

    private static async Task<int> ReportRecorderAsync(IServiceProvider services)
    {
        if (services.GetService<RecorderStatistics>() is not { } statistics
            || RecorderStopReport.Describe(statistics, services.GetService<MessageRecorder>()?.OutputFiles ?? []) is not { } report)
        {
            return 0;
        }

        await Console.Error.WriteLineAsync(report);
        return RecorderStopReport.ExitCode;
    }

    private static async Task DisposeAsync(IHost app)
    {
        try
        {
            if (app is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                app.Dispose();
            }
        }
        catch (Exception ex) when (StartupFailure.Describe(ex, null) is not null)
        {
            // A host that failed to start may fail again while disposing what it half started: already reported.
        }
    }
}

using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>One recorder instance over a temp folder, as the host would run it.</summary>
internal sealed class RecorderRun : IAsyncDisposable
{
    private bool stopped;

    public RecorderRun(RecorderOptions options, ILogger<MessageRecorder>? logger = null)
    {
        Options = options;
        Recorder = new MessageRecorder(Microsoft.Extensions.Options.Options.Create(options), Statistics, logger ?? NullLogger<MessageRecorder>.Instance);
    }

    public RecorderOptions Options { get; }

    public RecorderStatistics Statistics { get; } = new();

    public MessageRecorder Recorder { get; }

    public string CsvPath => Options.Output + ".csv";

    public string JsonPath => Options.Output + ".json";

    public string JsonLinesPath => Options.Output + ".jsonl";

    public static RecorderOptions OptionsFor(string output, string format = "both") => new()
    {
        Output = output,
        Format = format,
        FlushIntervalMs = 20,
        RetryMaxDelayMs = 200,
    };

    public static async Task<RecorderRun> StartAsync(RecorderOptions options, ILogger<MessageRecorder>? logger = null)
    {
        var run = new RecorderRun(options, logger);
        await run.Recorder.StartAsync(CancellationToken.None);
        return run;
    }

    public void Publish(params MqttApplicationMessage[] messages)
    {
        foreach (var message in messages)
        {
            Recorder.OnMessageAccepted(message);
        }
    }

    public Task RecordedAsync(long count) =>
        Eventually.HoldsAsync(() => Statistics.Recorded >= count, $"{count} messages are recorded (now {Statistics.Recorded}, last error {Statistics.LastError})");

    public async Task StopAsync()
    {
        if (!stopped)
        {
            stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Recorder.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Recorder.DisposeAsync();
    }
}

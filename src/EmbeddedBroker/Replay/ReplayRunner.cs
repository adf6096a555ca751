using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;
using Spectre.Console;

namespace EmbeddedBroker.Replay;

/// <summary>
/// <c>EmbeddedBroker replay</c>: publishes a recording (the recorder's CSV, JSON, JSON Lines or SQLite) into any
/// MQTT broker with our client, in recorded order, with the recorded relative timing (<see cref="ReplayOptions.Speed"/>),
/// filtered by time and topic, payloads byte for byte (base64 ones decoded). Shows a progress bar on a terminal and
/// ends with a summary: sent, skipped (filtered out), errors. Exit code 0 when everything selected was sent, 1 when
/// some publishes failed, 2 when the recording or the options are wrong, 3 when the broker cannot be reached.
/// </summary>
public sealed class ReplayRunner(IAnsiConsole? console = null)
{
    public const int Success = 0;
    public const int PublishErrors = 1;
    public const int BadInput = 2;
    public const int Unreachable = 3;

    /// <summary>QoS 1/2 publishes in flight at once: the client pipelines them, in order.</summary>
    private const int Window = 256;

    private readonly IAnsiConsole output = console ?? AnsiConsole.Console;

    public async Task<int> RunAsync(ReplayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The paced loop spins its last milliseconds on a pool thread while the client's writer needs another: with
        // the pool's default minimum (one thread per core) the writer can wait for the pool to grow, which delays
        // messages by tens of milliseconds on a 2-core machine.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), io);
        if (Validate(options) is { } problem)
        {
            output.WriteLine("replay: " + problem);
            return BadInput;
        }

        IReplaySource source;
        try
        {
            source = ReplaySources.Open(options.Source);
        }
        catch (ReplaySourceException error)
        {
            output.WriteLine("replay: " + error.Message);
            return BadInput;
        }

        await using (source)
        {
            MqttClient client;
            try
            {
                client = await MqttClient.ConnectAsync(ClientOptions(options), cancellationToken);
            }
            catch (Exception error) when (error is SocketException or MqttConnectException or TimeoutException or IOException)
            {
                output.WriteLine($"replay: cannot connect to {options.Host}:{options.Port}: {error.Message}");
                return Unreachable;
            }

            await using (client)
            {
                var summary = new ReplaySummary();
                var clock = Stopwatch.StartNew();
                try
                {
                    if (options.Progress && output.Profile.Capabilities.Interactive)
                    {
                        await output.Progress().StartAsync(async progress =>
                        {
                            var bar = progress.AddTask(Path.GetFileName(options.Source), maxValue: 1);
                            await PublishAllAsync(options, source, client, summary, () => bar.Value = source.Progress, cancellationToken);
                            bar.Value = 1;
                        });
                    }
                    else
                    {
                        await PublishAllAsync(options, source, client, summary, () => { }, cancellationToken);
                    }
                }
                catch (ReplaySourceException error)
                {
                    output.WriteLine("replay: " + error.Message);
                    Report(options, summary, clock.Elapsed);
                    return BadInput;
                }

                Report(options, summary, clock.Elapsed);
                return summary.Errors == 0 ? Success : PublishErrors;
            }
        }
    }

    private static string? Validate(ReplayOptions options)
    {
        if (options.Port is < 1 or > 65535)
        {
            return $"--port {options.Port} is not a TCP port: use 1..65535.";
        }

        if (options.Speed < 0 || !double.IsFinite(options.Speed))
        {
            return $"--speed {options.Speed.ToString(CultureInfo.InvariantCulture)} is not valid: use a positive number such as 1 or 10, or max.";
        }

        if (options.TopicFilter is { } filter && !MqttTopic.IsValidTopicFilter(filter))
        {
            return $"--topic '{filter}' is not a valid topic filter: use levels separated by '/', '+' for one level and '#' last, e.g. sensors/#.";
        }

        return options.From > options.To ? "--from is after --to: nothing would be replayed." : null;
    }

    private static MqttClientOptions ClientOptions(ReplayOptions options) => new()
    {
        Host = options.Host,
        Port = options.Port,
        ClientId = options.ClientId.Length > 0 ? options.ClientId : "replay-" + Guid.NewGuid().ToString("N")[..8],
        Username = options.Username,
        Password = options.Password is { } password ? System.Text.Encoding.UTF8.GetBytes(password) : (ReadOnlyMemory<byte>?)null,
        MaximumPublishesInFlight = Window,
    };

    private static async Task PublishAllAsync(ReplayOptions options, IReplaySource source, MqttClient client, ReplaySummary summary, Action showProgress,
        CancellationToken cancellationToken)
    {
        var timing = new ReplayClock(options.Speed);
        var inFlight = new Queue<Task>();
        var lastProgress = Environment.TickCount64;
        await foreach (var record in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if ((options.From is { } from && record.Timestamp < from) || (options.To is { } to && record.Timestamp > to)
                || (options.TopicFilter is { } filter && !MqttTopic.Matches(filter, record.Topic)))
            {
                summary.Skipped++;
                continue;
            }

            await timing.WaitForAsync(record.Timestamp, cancellationToken).ConfigureAwait(false);
            if (!client.IsConnected)
            {
                summary.Errors++;
                summary.LastError = "the connection to the broker was lost";
                continue;
            }

            inFlight.Enqueue(Publish(client, record, options));
            if (!timing.IsStarted)
            {
                timing.Start(record.Timestamp);
            }

            while (inFlight.Count >= Window || (inFlight.Count > 0 && inFlight.Peek().IsCompleted))
            {
                await Settle(inFlight.Dequeue(), summary).ConfigureAwait(false);
            }

            if (Environment.TickCount64 - lastProgress > 100)
            {
                showProgress();
                lastProgress = Environment.TickCount64;
            }
        }

        while (inFlight.Count > 0)
        {
            await Settle(inFlight.Dequeue(), summary).ConfigureAwait(false);
        }
    }

    private static Task Publish(MqttClient client, ReplayRecord record, ReplayOptions options)
    {
        try
        {
            return client.PublishAsync(record.Topic, record.Payload, options.Qos ?? record.Qos, options.Retain == ReplayRetain.Keep && record.Retain);
        }
        catch (Exception error) when (error is ArgumentException or MqttOperationException or MqttConnectionClosedException)
        {
            return Task.FromException(error);
        }
    }

    private static async Task Settle(Task publish, ReplaySummary summary)
    {
        try
        {
            await publish.ConfigureAwait(false);
            summary.Sent++;
        }
        catch (Exception error) when (error is ArgumentException or MqttOperationException or MqttConnectionClosedException or IOException)
        {
            summary.Errors++;
            summary.LastError = error.Message;
        }
    }

    private void Report(ReplayOptions options, ReplaySummary summary, TimeSpan elapsed)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay: {options.Source} into {options.Host}:{options.Port}: {summary.Sent} sent, {summary.Skipped} skipped, {summary.Errors} errors in {elapsed.TotalSeconds:0.0} s"));
        if (summary.LastError is { } last)
        {
            output.WriteLine("replay: last error: " + last);
        }
    }

    private sealed class ReplaySummary
    {
        public long Sent { get; set; }

        public long Skipped { get; set; }

        public long Errors { get; set; }

        public string? LastError { get; set; }
    }
}

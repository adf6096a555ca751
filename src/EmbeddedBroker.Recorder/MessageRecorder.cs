using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Outputs;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Recorder;

/// <summary>
/// Records every accepted PUBLISH whose topic is selected into CSV / JSON / JSON Lines files and SQLite / PostgreSQL
/// databases, and with Recorder:RecordDeliveries the delivery receipts (<see cref="IDeliveryObserver"/>) into the databases.
/// <para>
/// The broker side (<see cref="OnMessageAccepted"/>) only filters the topic and tries to put the message in a bounded
/// queue: it never blocks and never allocates (except the acknowledgement's completion when AckAfterRecorded is on).
/// A single writer loop (<see cref="RecordWriteLoop"/>) drains the queue in batches into the outputs; when writing fails it
/// keeps the unwritten messages and retries with back-off (<see cref="WriteRetry"/>), logging at most once per interval
/// (<see cref="RecorderReports"/>); meanwhile the queue fills and the full-queue policy applies. The broker is never slowed down.
/// </para>
/// </summary>
public sealed class MessageRecorder : IHostedService, IPublishObserver, IDeliveryObserver, IAsyncDisposable, IDisposable
{
    private readonly RecorderOptions options;
    private readonly RecorderStatistics statistics;
    private readonly ILogger<MessageRecorder> logger;
    private readonly TopicSelection topics;
    private readonly RecordQueue queue;
    private readonly RecordOutputSet files;
    private readonly bool recordsDeliveries;
    private readonly RecordWriteLoop loop;
    private readonly CancellationTokenSource abort = new();
    private Task? writer;

    public MessageRecorder(IOptions<RecorderOptions> options, RecorderStatistics statistics, ILogger<MessageRecorder> logger)
    {
        this.options = options.Value;
        this.statistics = statistics;
        this.logger = logger;
        if (!RecordFormatParser.TryParse(this.options.Format, out var formats) || !FullQueuePolicyParser.TryParse(this.options.FullQueuePolicy, out var fullQueuePolicy))
        {
            var result = new RecorderOptionsValidator().Validate(null, this.options);
            throw new OptionsValidationException(RecorderOptions.SectionName, typeof(RecorderOptions), result.Failures ?? []);
        }

        topics = new TopicSelection(this.options.Topics ?? []);
        queue = new RecordQueue(this.options.QueueCapacity, this.options.QueueMaxBytes, fullQueuePolicy, OnOldestDropped);
        statistics.AttachQueue(() => queue.Count, () => queue.Bytes);
        files = new RecordOutputSet(this.options, formats, statistics, logger);
        Formats = formats;
        recordsDeliveries = this.options.Enabled && this.options.RecordDeliveries && (formats & RecordFormats.Databases) != 0;
        var flushInterval = TimeSpan.FromMilliseconds(this.options.FlushIntervalMs);
        var reports = new RecorderReports(logger, statistics, queue, files, RecorderReports.IntervalFor(flushInterval));
        var retry = new WriteRetry(files, statistics, reports, TimeSpan.FromMilliseconds(this.options.RetryMaxDelayMs));
        loop = new RecordWriteLoop(queue, files, retry, reports, flushInterval);
    }

    /// <summary>The outputs being written: active file names (rotated files sit beside them), the databases.</summary>
    public IEnumerable<string> OutputFiles => files.FilePaths;

    /// <summary>What Recorder:Format asked for.</summary>
    public RecordFormats Formats { get; }

    /// <inheritdoc />
    public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
    {
        if (!options.Enabled || !topics.Includes(message.Topic))
        {
            return PublishReceipt.None;
        }

        var recorded = options.AckAfterRecorded && message.Qos != MqttQualityOfService.AtMostOnce
            ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
            : null;

        // Never waits: false when the queue is full (DropNewest) or the recorder is stopped.
        var item = new QueuedMessage(message, recorded);
        if (queue.TryWrite(item))
        {
            statistics.AddEnqueued();
        }
        else
        {
            statistics.AddDropped();
            item.Fail(Volatile.Read(ref writer) is null || !queue.IsCompleted ? "The recorder queue is full." : "The recorder is stopped.");
        }

        return recorded is null ? PublishReceipt.None : PublishReceipt.WaitFor(recorded.Task);
    }

    /// <inheritdoc />
    public void OnDeliveryAcknowledged(MqttClientIdentity subscriber, MqttApplicationMessage message, MqttQualityOfService qos)
    {
        if (!recordsDeliveries || !topics.Includes(message.Topic))
        {
            return;
        }

        // Never waits, allocates nothing: the receipt is a struct in the same queue as the messages, so it is committed
        // in the same transaction as the messages before it.
        if (queue.TryWrite(QueuedMessage.Delivery(message, subscriber.ClientId, qos, DateTimeOffset.UtcNow)))
        {
            return;
        }

        statistics.AddDeliveryDropped();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            logger.LogInformation("Recorder: disabled (Recorder:Enabled=false)");
            return Task.CompletedTask;
        }

        logger.LogInformation("Recorder: recording {Topics} to {Files}; flush every {FlushIntervalMs} ms, queue of {QueueCapacity} ({Policy})",
            options.Topics is { Length: > 0 } filters ? string.Join(", ", filters) : "all topics except $SYS",
            string.Join(", ", files.FilePaths), options.FlushIntervalMs, options.QueueCapacity, queue.Policy);
        writer ??= Task.Run(() => loop.RunAsync(abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting messages, drains the queue into the files and flushes them. If <paramref name="cancellationToken"/>
    /// fires first (host shutdown timeout, e.g. the disk is failing), gives up and logs how many messages were lost.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        if (writer is null)
        {
            return;
        }

        try
        {
            await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        queue.Complete();
        if (writer is { IsCompleted: false })
        {
            await abort.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        }

        if (writer is null or { IsCompleted: true })
        {
            files.Dispose();
            queue.Dispose();
        }

        abort.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void OnOldestDropped(QueuedMessage item)
    {
        statistics.AddDropped();
        item.Fail("The recorder queue was full; the message was discarded to make room (DropOldest).");
    }
}

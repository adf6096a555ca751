using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Recorder;

/// <summary>
/// Records every accepted PUBLISH whose topic is selected into CSV / JSON / JSON Lines files.
/// <para>
/// The broker side (<see cref="OnMessageAccepted"/>) only filters the topic and tries to put the message in a bounded
/// queue: it never blocks and never allocates (except the acknowledgement handle when AckAfterRecorded is on).
/// A single writer loop drains the queue in batches, appends to the files and flushes at least every FlushIntervalMs,
/// at once when a publisher waits for its acknowledgement, and on stop, which drains the whole queue.
/// When writing fails the loop keeps the unwritten messages, retries with back-off and logs at most once per interval;
/// meanwhile the queue fills and the full-queue policy applies. The broker is never slowed down.
/// </para>
/// </summary>
public sealed class MessageRecorder : IHostedService, IPublishObserver, IAsyncDisposable, IDisposable
{
    /// <summary>Upper bound of messages kept for replay between two commits (memory bound under a flood).</summary>
    private const int MaxMessagesPerCommit = 65_536;

    /// <summary>
    /// Upper bound of formatted bytes per file between two commits: a commit is one write per file of the whole batch
    /// (see RecordFileSink), so this bounds the batch memory when messages are large.
    /// </summary>
    private const int MaxBytesPerCommit = 8 * 1024 * 1024;

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly RecorderOptions options;
    private readonly RecorderStatistics statistics;
    private readonly ILogger<MessageRecorder> logger;
    private readonly TopicSelection topics;
    private readonly RecordQueue queue;
    private readonly ConditionalWeakTable<MqttApplicationMessage, TaskCompletionSource> acknowledgements = [];
    private readonly RecordFileSet files;
    private readonly TimeSpan flushInterval;
    private readonly TimeSpan reportInterval;
    private readonly TimeSpan retryMaxDelay;
    private readonly FullQueuePolicy fullQueuePolicy;
    private readonly CancellationTokenSource abort = new();
    private Task? writer;

    private long lastDropReportAt;
    private long droppedAtLastReport;
    private long lastErrorReportAt = long.MinValue;
    private int failuresSinceReport;

    public MessageRecorder(IOptions<RecorderOptions> options, RecorderStatistics statistics, ILogger<MessageRecorder> logger)
    {
        this.options = options.Value;
        this.statistics = statistics;
        this.logger = logger;
        if (!RecordFormatParser.TryParse(this.options.Format, out var formats) || !FullQueuePolicyParser.TryParse(this.options.FullQueuePolicy, out fullQueuePolicy))
        {
            var result = new RecorderOptionsValidator().Validate(null, this.options);
            throw new OptionsValidationException(RecorderOptions.SectionName, typeof(RecorderOptions), result.Failures ?? []);
        }

        topics = new TopicSelection(this.options.Topics ?? []);
        flushInterval = TimeSpan.FromMilliseconds(this.options.FlushIntervalMs);
        reportInterval = flushInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : flushInterval;
        retryMaxDelay = TimeSpan.FromMilliseconds(this.options.RetryMaxDelayMs);

        queue = new RecordQueue(this.options.QueueCapacity, fullQueuePolicy, OnOldestDropped);
        statistics.AttachQueue(() => queue.Count);
        files = new RecordFileSet(this.options, formats, statistics, OnCommitted, logger,
            this.options.AckAfterRecorded ? static message => message.Qos != MqttQualityOfService.AtMostOnce : null);
    }

    /// <summary>The files being written (active names; rotated files sit beside them).</summary>
    public IEnumerable<string> OutputFiles => files.FilePaths;

    /// <inheritdoc />
    public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
    {
        if (!options.Enabled || !topics.Includes(message.Topic))
        {
            return PublishReceipt.None;
        }

        TaskCompletionSource? acknowledgement = null;
        if (options.AckAfterRecorded && message.Qos != MqttQualityOfService.AtMostOnce)
        {
            acknowledgement = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            acknowledgements.AddOrUpdate(message, acknowledgement);
        }

        // Never waits: false when the queue is full (DropNewest) or the recorder is stopped.
        if (queue.TryWrite(message))
        {
            statistics.AddEnqueued();
        }
        else
        {
            statistics.AddDropped();
            acknowledgement?.TrySetException(new RecordingFailedException(
                Volatile.Read(ref writer) is null || !queue.IsCompleted
                    ? "The recorder queue is full."
                    : "The recorder is stopped."));
        }

        return acknowledgement is null ? PublishReceipt.None : PublishReceipt.WaitFor(acknowledgement.Task);
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
            string.Join(", ", files.FilePaths), options.FlushIntervalMs, options.QueueCapacity, fullQueuePolicy);
        writer ??= Task.Run(() => WriteLoopAsync(abort.Token), CancellationToken.None);
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
        }

        abort.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync(CancellationToken cancellation)
    {
        var reader = queue.Reader;
        var lastCommitAt = Environment.TickCount64;
        using var wait = new FlushDeadlineWait(cancellation);
        try
        {
            while (true)
            {
                var acknowledgementPending = false;
                while (AppendQueued(ref acknowledgementPending) is { } failed)
                {
                    await AppendAfterFailureAsync(failed.Message, failed.Failure, failed.Added, cancellation).ConfigureAwait(false);
                }

                var drained = reader.Completion.IsCompleted;
                if (files.UncommittedCount > 0
                    && (drained || acknowledgementPending || BatchIsFull()
                        || Environment.TickCount64 - lastCommitAt >= (long)flushInterval.TotalMilliseconds))
                {
                    await CommitAsync(cancellation).ConfigureAwait(false);
                    lastCommitAt = Environment.TickCount64;
                }

                ReportDrops();
                if (drained)
                {
                    break;
                }

                if (files.UncommittedCount == 0)
                {
                    await reader.WaitToReadAsync(cancellation).ConfigureAwait(false);
                    lastCommitAt = Environment.TickCount64; // the interval starts with the next message, not with the idle wait
                }
                else if (!reader.TryPeek(out _))
                {
                    var remaining = lastCommitAt + (long)flushInterval.TotalMilliseconds - Environment.TickCount64;
                    await wait.WaitAsync(reader, TimeSpan.FromMilliseconds(Math.Max(0, remaining))).ConfigureAwait(false);
                }
            }

            files.Dispose();
            ReportDrops(force: true);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            GiveUp();
        }
        catch (Exception error)
        {
            logger.LogCritical(error, "Recorder: the writer stopped unexpectedly; messages are no longer recorded");
            GiveUp();
        }
    }

    /// <summary>
    /// Moves queued messages into the batches until the queue is empty or the batch is full; stops at a message that
    /// could not be appended and returns it. The per-message loop lives in this synchronous method rather than in the
    /// never-ending async loop, which the JIT would only run as on-stack-replaced code.
    /// </summary>
    private FailedAppend? AppendQueued(ref bool acknowledgementPending)
    {
        var awaitsAcknowledgement = options.AckAfterRecorded;
        while (!BatchIsFull() && queue.TryRead(out var message))
        {
            acknowledgementPending |= awaitsAcknowledgement && message.Qos != MqttQualityOfService.AtMostOnce;
            if (!TryAppend(message, out var failure, out var added))
            {
                return new FailedAppend(message, failure, added);
            }
        }

        return null;
    }

    private bool BatchIsFull() => files.UncommittedCount >= MaxMessagesPerCommit || files.PendingBytes >= MaxBytesPerCommit;

    /// <summary>The per-message path: synchronous, so a message costs no allocation (no async state machine).</summary>
    /// <param name="added">True when the message reached the uncommitted batches (a recovery then replays it).</param>
    private bool TryAppend(MqttApplicationMessage message, [NotNullWhen(false)] out Exception? failure, out bool added)
    {
        added = false;
        try
        {
            files.RotateIfNewDay(message.ReceivedAt);
            files.Append(message); // throws before formatting the message, or formats it into every batch
            added = true;
            failure = null;
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            failure = error;
            return false;
        }
    }

    /// <summary>A message <see cref="TryAppend"/> could not append (the files failed), for the recovery.</summary>
    private readonly record struct FailedAppend(MqttApplicationMessage Message, Exception Failure, bool Added);

    private async Task AppendAfterFailureAsync(MqttApplicationMessage message, Exception failure, bool added, CancellationToken cancellation)
    {
        while (true)
        {
            await RecoverAsync(failure, cancellation).ConfigureAwait(false);
            if (added || TryAppend(message, out var next, out added))
            {
                return; // an added message was replayed by the recovery
            }

            failure = next;
        }
    }

    private async ValueTask CommitAsync(CancellationToken cancellation)
    {
        try
        {
            files.Commit();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await RecoverAsync(error, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Retries, with doubling back-off, to reopen the files and write the uncommitted messages, until it works or the recorder is aborted.</summary>
    private async Task RecoverAsync(Exception failure, CancellationToken cancellation)
    {
        var delay = FirstRetryDelay;
        var attempts = 0;
        while (true)
        {
            attempts++;
            statistics.AddWriteError(failure);
            ReportWriteError(failure);
            files.Abandon();
            await Task.Delay(delay, cancellation).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retryMaxDelay.Ticks));
            ReportDrops();
            try
            {
                files.ReplayAndCommit();
                logger.LogInformation("Recorder: writing to {Files} works again after {Attempts} failed attempt(s)", string.Join(", ", files.FilePaths), attempts);
                failuresSinceReport = 0;
                lastErrorReportAt = long.MinValue;
                return;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                failure = error;
            }
        }
    }

    private void OnCommitted(List<MqttApplicationMessage> committed)
    {
        if (!options.AckAfterRecorded)
        {
            return;
        }

        foreach (var message in committed)
        {
            if (acknowledgements.TryGetValue(message, out var acknowledgement))
            {
                acknowledgements.Remove(message);
                acknowledgement.TrySetResult();
            }
        }
    }

    private void OnOldestDropped(MqttApplicationMessage message)
    {
        statistics.AddDropped();
        Fail(message, "The recorder queue was full; the message was discarded to make room (DropOldest).");
    }

    private void Fail(MqttApplicationMessage message, string reason)
    {
        if (options.AckAfterRecorded && acknowledgements.TryGetValue(message, out var acknowledgement))
        {
            acknowledgement.TrySetException(new RecordingFailedException(reason));
        }
    }

    /// <summary>Shutdown gave up (timeout) or the writer crashed: count and report what will not be recorded.</summary>
    private void GiveUp()
    {
        queue.Complete();
        long lost = files.DiscardUncommitted(message => Fail(message, "The recorder stopped before writing the message."));
        while (queue.TryRead(out var message))
        {
            lost++;
            Fail(message, "The recorder stopped before writing the message.");
        }

        files.Abandon();
        if (lost > 0)
        {
            logger.LogError("Recorder: stopped before {Count} queued message(s) could be written; they are not in {Files}", lost, string.Join(", ", files.FilePaths));
        }
    }

    private void ReportDrops(bool force = false)
    {
        var now = Environment.TickCount64;
        var dropped = statistics.Dropped;
        if (dropped == droppedAtLastReport || (!force && now - lastDropReportAt < (long)reportInterval.TotalMilliseconds))
        {
            return;
        }

        logger.LogWarning("Recorder: {Count} message(s) not recorded because the queue was full (capacity {Capacity}, {Policy}); {Total} since start. "
            + "The disk is too slow or failing, or Recorder:QueueCapacity is too small",
            dropped - droppedAtLastReport, options.QueueCapacity, fullQueuePolicy, dropped);
        droppedAtLastReport = dropped;
        lastDropReportAt = now;
    }

    private void ReportWriteError(Exception failure)
    {
        failuresSinceReport++;
        var now = Environment.TickCount64;
        if (lastErrorReportAt != long.MinValue && now - lastErrorReportAt < (long)reportInterval.TotalMilliseconds)
        {
            return;
        }

        logger.LogError(failure, "Recorder: cannot write {Files} ({Reason}); {Failures} failed attempt(s), retrying with back-off. "
            + "{Queued} message(s) waiting; the broker keeps running and drops what does not fit in the queue",
            string.Join(", ", files.FilePaths), failure.Message, failuresSinceReport, queue.Count + files.UncommittedCount);
        failuresSinceReport = 0;
        lastErrorReportAt = now;
    }
}

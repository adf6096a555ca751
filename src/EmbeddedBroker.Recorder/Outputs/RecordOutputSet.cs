using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Outputs;

/// <summary>
/// The outputs of one recorder (files and databases), the records written to them since the last commit, and the
/// commit protocol:
/// <list type="number">
/// <item><see cref="Append"/> formats each message into every output's batch (nothing reaches an output yet);</item>
/// <item><see cref="Commit"/> flushes every output's batch (one positional write per file, one transaction per
/// database), and only when all of them succeeded marks them all committed, counts the messages recorded and completes
/// the waits of their publishers;</item>
/// <item>after a failure anywhere in between, <see cref="Abandon"/> closes every output, keeping every batch, and
/// <see cref="ReplayAndCommit"/> reopens them (each file truncated back to its last commit; a database whose transaction
/// committed keeps it and writes nothing again) and commits again: every record ends up in every output exactly once,
/// whichever output failed (a full disk, a database that went away) and whenever.</item>
/// </list>
/// Messages are not kept until the commit, only the completions their publishers wait on (AckAfterRecorded), in order,
/// so messages die young for the GC. Only the writer loop uses it.
/// </summary>
internal sealed class RecordOutputSet : IDisposable
{
    private readonly RecordFile[] files;
    private readonly IRecordOutput[] outputs;

    /// <summary>Completions of the uncommitted messages whose publishers wait (AckAfterRecorded), in append order.</summary>
    private readonly List<TaskCompletionSource> awaitingCommit = [];
    private readonly MessageRecordFactory records = new();
    private readonly FileRotation rotation;
    private readonly RecorderStatistics statistics;
    private readonly Retention? retention;
    private int uncommittedCount;
    private int uncommittedDeliveries;

    public RecordOutputSet(RecorderOptions options, RecordFormats formats, RecorderStatistics statistics, ILogger logger)
        : this(options, OutputFactory.Files(options, formats, logger), OutputFactory.Databases(options, formats), statistics, logger)
    {
    }

    public RecordOutputSet(RecorderOptions options, RecordFile[] files, IRecordOutput[] databases, RecorderStatistics statistics, ILogger logger)
    {
        this.files = files;
        outputs = [.. files, .. databases];
        rotation = new FileRotation(options.RotateMaxBytes, options.RotateDaily, options.CompressRotated, statistics, logger,
            RecorderReports.IntervalFor(TimeSpan.FromMilliseconds(options.FlushIntervalMs)));
        retention = Retention.For(options, files, databases.OfType<IRetainedOutput>(), statistics, logger);
        this.statistics = statistics;
        statistics.AttachOutputs([.. outputs.Select(output => output.Name)]);
    }

    public IEnumerable<string> FilePaths => outputs.Select(output => output.Name);

    public int UncommittedCount => uncommittedCount + uncommittedDeliveries;

    /// <summary>Largest number of formatted bytes any output holds in memory until the next commit.</summary>
    public int PendingBytes
    {
        get
        {
            var pending = 0;
            foreach (var output in outputs)
            {
                pending = Math.Max(pending, output.PendingBytes);
            }

            return pending;
        }
    }

    /// <summary>With daily rotation, commits and rotates the files that hold records of another UTC day than <paramref name="receivedAt"/>.</summary>
    public void RotateIfNewDay(DateTimeOffset receivedAt)
    {
        if (!rotation.IsDaily)
        {
            return;
        }

        var day = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        OpenAll(); // The day of an existing file is only known once it is opened.
        if (FileRotation.AnotherDayIn(files, day))
        {
            Commit();
            rotation.RotateOtherDays(files, day);
        }
    }

    /// <summary>
    /// Formats <paramref name="message"/> into every output's batch. Returns only once it is part of the uncommitted
    /// batches (which a failed commit replays); throws before that when an output cannot be opened.
    /// </summary>
    /// <param name="recorded">Completed once the message is committed, failed if it is discarded; null when nobody waits.</param>
    public void Append(MqttApplicationMessage message, TaskCompletionSource? recorded = null)
    {
        OpenAll();
        var record = records.Create(message);
        foreach (var output in outputs)
        {
            output.Write(record);
        }

        uncommittedCount++;
        if (recorded is not null)
        {
            awaitingCommit.Add(recorded);
        }
    }

    /// <summary>Adds a delivery receipt to every output that keeps them (the databases).</summary>
    public void AppendDelivery(in DeliveryRecord delivery)
    {
        OpenAll();
        foreach (var output in outputs)
        {
            output.WriteDelivery(delivery);
        }

        uncommittedDeliveries++;
    }

    /// <summary>Flushes every output, then marks them committed, then completes the waits of the committed messages in order.</summary>
    public void Commit()
    {
        if (UncommittedCount == 0)
        {
            return;
        }

        foreach (var output in outputs)
        {
            output.Flush();
        }

        foreach (var output in outputs)
        {
            output.MarkCommitted();
        }

        statistics.AddRecorded(uncommittedCount, uncommittedDeliveries);
        foreach (var recorded in awaitingCommit)
        {
            recorded.TrySetResult();
        }

        awaitingCommit.Clear();
        uncommittedCount = 0;
        uncommittedDeliveries = 0;
        rotation.RotateFull(files);
        retention?.RunIfDue();
    }

    /// <summary>After a failure: closes every output, keeping the uncommitted batches for <see cref="ReplayAndCommit"/>.</summary>
    public void Abandon()
    {
        foreach (var output in outputs)
        {
            output.Abandon();
        }
    }

    /// <summary>Reopens the outputs (files truncated to their committed length), writes the uncommitted batches again and commits.</summary>
    public void ReplayAndCommit()
    {
        OpenAll();
        Commit();
    }

    /// <summary>
    /// Forgets the uncommitted batches (the recorder gave up at shutdown): returns how many messages they held and
    /// fails the waits of those messages with <paramref name="reason"/>.
    /// </summary>
    public int DiscardUncommitted(string reason)
    {
        var lost = uncommittedCount;
        foreach (var recorded in awaitingCommit)
        {
            recorded.TrySetException(new RecordingFailedException(reason));
        }

        awaitingCommit.Clear();
        uncommittedCount = 0;
        uncommittedDeliveries = 0;
        foreach (var output in outputs)
        {
            output.DiscardPending();
        }

        return lost;
    }

    public void Dispose()
    {
        foreach (var output in outputs)
        {
            output.Dispose();
        }

        rotation.Dispose();
    }

    private void OpenAll()
    {
        foreach (var output in outputs)
        {
            output.Open(); // does nothing when open
        }
    }
}

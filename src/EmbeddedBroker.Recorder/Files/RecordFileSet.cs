using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Formats;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// The output files of one recorder, the messages written to them since the last commit, and the commit protocol:
/// <list type="number">
/// <item><see cref="Append"/> formats each message into every file's batch (nothing reaches a file yet);</item>
/// <item><see cref="Commit"/> writes every file's batch (one positional write each), and only when all of them
/// succeeded marks them all committed, counts the messages recorded and completes the waits of their publishers;</item>
/// <item>after a failure anywhere in between, <see cref="Abandon"/> closes every file, keeping every batch, and
/// <see cref="ReplayAndCommit"/> reopens them, each truncated back to its last commit, and commits again: every record
/// ends up in every file exactly once, whichever file failed (a full disk) and whenever.</item>
/// </list>
/// Messages are not kept until the commit, only the completions their publishers wait on (AckAfterRecorded), in order,
/// so messages die young for the GC. Only the writer loop uses it.
/// </summary>
internal sealed class RecordFileSet : IDisposable
{
    private readonly RecordFile[] files;

    /// <summary>Completions of the uncommitted messages whose publishers wait (AckAfterRecorded), in append order.</summary>
    private readonly List<TaskCompletionSource> awaitingCommit = [];
    private readonly MessageRecordFactory records = new();
    private readonly FileRotation rotation;
    private readonly RecorderStatistics statistics;
    private int uncommittedCount;

    public RecordFileSet(RecorderOptions options, RecordFormats formats, RecorderStatistics statistics, ILogger logger)
    {
        var basePath = Path.GetFullPath(options.Output);
        files = [.. FormatsOf(formats, options, logger).Select(format => new RecordFile(format, basePath, options.DirectWrites, logger))];
        rotation = new FileRotation(options.RotateMaxBytes, options.RotateDaily, statistics, logger,
            RecorderReports.IntervalFor(TimeSpan.FromMilliseconds(options.FlushIntervalMs)));
        this.statistics = statistics;
    }

    public IEnumerable<string> FilePaths => files.Select(file => file.FilePath);

    public int UncommittedCount => uncommittedCount;

    /// <summary>Largest number of formatted bytes any file holds in memory until the next commit.</summary>
    public int PendingBytes
    {
        get
        {
            var pending = 0;
            foreach (var file in files)
            {
                pending = Math.Max(pending, file.PendingBytes);
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
    /// Formats <paramref name="message"/> into every file's batch. Returns only once it is part of the uncommitted
    /// batches (which a failed commit replays); throws before that when a file cannot be opened.
    /// </summary>
    /// <param name="recorded">Completed once the message is committed, failed if it is discarded; null when nobody waits.</param>
    public void Append(MqttApplicationMessage message, TaskCompletionSource? recorded = null)
    {
        OpenAll();
        var record = records.Create(message);
        foreach (var file in files)
        {
            file.Write(record);
        }

        uncommittedCount++;
        if (recorded is not null)
        {
            awaitingCommit.Add(recorded);
        }
    }

    /// <summary>Writes every file, then marks them committed, then completes the waits of the committed messages in order.</summary>
    public void Commit()
    {
        if (uncommittedCount == 0)
        {
            return;
        }

        foreach (var file in files)
        {
            file.ReopenIfMovedOrDeleted();
            file.Flush();
        }

        foreach (var file in files)
        {
            file.MarkCommitted();
        }

        statistics.AddRecorded(uncommittedCount);
        foreach (var recorded in awaitingCommit)
        {
            recorded.TrySetResult();
        }

        awaitingCommit.Clear();
        uncommittedCount = 0;
        rotation.RotateFull(files);
    }

    /// <summary>After a failure: closes every file, keeping the uncommitted batches for <see cref="ReplayAndCommit"/>.</summary>
    public void Abandon()
    {
        foreach (var file in files)
        {
            file.Abandon();
        }
    }

    /// <summary>Reopens the files (truncated to their committed length), writes the uncommitted batches again and commits.</summary>
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
        foreach (var file in files)
        {
            file.DiscardPending();
        }

        return lost;
    }

    public void Dispose()
    {
        foreach (var file in files)
        {
            file.Dispose();
        }
    }

    private static IEnumerable<IRecordFormat> FormatsOf(RecordFormats formats, RecorderOptions options, ILogger logger)
    {
        if (formats.HasFlag(RecordFormats.Csv))
        {
            yield return new CsvRecordFormat(options.CsvEscapeFormulas, logger);
        }

        if (formats.HasFlag(RecordFormats.Json))
        {
            yield return new JsonArrayRecordFormat(logger);
        }

        if (formats.HasFlag(RecordFormats.JsonLines))
        {
            yield return new JsonLinesRecordFormat(logger);
        }
    }

    private void OpenAll()
    {
        foreach (var file in files)
        {
            file.Open(); // does nothing when open
        }
    }
}

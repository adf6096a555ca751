using EmbeddedBroker.Contracts;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Recorder.Sinks;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>
/// The output files of one recorder and the messages written to them since the last commit.
/// A commit flushes every file and only then marks them all committed, so after a failure every file is truncated
/// back to the same point and the uncommitted batches are written again exactly once (see <see cref="RecordFileSink"/>).
/// Messages are not kept until the commit, only the completions their publishers wait on (AckAfterRecorded), in order,
/// so messages die young for the GC. Only the writer loop uses it.
/// </summary>
internal sealed class RecordFileSet : IDisposable
{
    private readonly RecordFileSink[] sinks;

    /// <summary>Completions of the uncommitted messages whose publishers wait (AckAfterRecorded), in append order.</summary>
    private readonly List<TaskCompletionSource> awaitingCommit = [];
    private readonly MessageRecordFactory records = new();
    private readonly RecorderStatistics statistics;
    private int uncommittedCount;
    private readonly ILogger logger;
    private readonly long rotateMaxBytes;
    private readonly bool rotateDaily;

    public RecordFileSet(RecorderOptions options, RecordFormats formats, RecorderStatistics statistics, ILogger logger)
    {
        var basePath = Path.GetFullPath(options.Output);
        var list = new List<RecordFileSink>();
        if (formats.HasFlag(RecordFormats.Csv))
        {
            list.Add(new CsvRecordSink(basePath, options.CsvEscapeFormulas, logger) { DirectWrites = options.DirectWrites });
        }

        if (formats.HasFlag(RecordFormats.Json))
        {
            list.Add(new JsonArrayRecordSink(basePath, logger) { DirectWrites = options.DirectWrites });
        }

        if (formats.HasFlag(RecordFormats.JsonLines))
        {
            list.Add(new JsonLinesRecordSink(basePath, logger) { DirectWrites = options.DirectWrites });
        }

        sinks = [.. list];
        this.statistics = statistics;
        this.logger = logger;
        rotateMaxBytes = options.RotateMaxBytes;
        rotateDaily = options.RotateDaily;
    }

    public IEnumerable<string> FilePaths => sinks.Select(sink => sink.FilePath);

    public int UncommittedCount => uncommittedCount;

    /// <summary>Largest number of formatted bytes any file holds in memory until the next commit.</summary>
    public int PendingBytes
    {
        get
        {
            var pending = 0;
            foreach (var sink in sinks)
            {
                pending = Math.Max(pending, sink.PendingBytes);
            }

            return pending;
        }
    }

    /// <summary>With daily rotation, commits and rotates the files that hold records of another UTC day than <paramref name="receivedAt"/>.</summary>
    public void RotateIfNewDay(DateTimeOffset receivedAt)
    {
        if (!rotateDaily)
        {
            return;
        }

        var day = DateOnly.FromDateTime(receivedAt.UtcDateTime);
        OpenAll(); // The day of an existing file is only known once it is opened.
        var anotherDay = false;
        foreach (var sink in sinks)
        {
            anotherDay |= sink.FileDay is { } fileDay && fileDay != day;
        }

        if (!anotherDay)
        {
            return;
        }

        Commit();
        foreach (var sink in sinks)
        {
            if (sink.FileDay is { } fileDay && fileDay != day)
            {
                try
                {
                    Rotate(sink, fileDay);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Keep the records flowing into the active file; the next day change tries again.
                    statistics.AddWriteError(error);
                    logger.LogWarning(error, "Recorder: could not rotate {File} for the new day; continuing in the same file", sink.FilePath);
                    sink.AdoptDay(day);
                }
            }
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
        foreach (var sink in sinks)
        {
            sink.Write(record);
        }

        uncommittedCount++;
        if (recorded is not null)
        {
            awaitingCommit.Add(recorded);
        }
    }

    /// <summary>Flushes every file, then marks them committed, then completes the waits of the committed messages in order.</summary>
    public void Commit()
    {
        if (uncommittedCount == 0)
        {
            return;
        }

        foreach (var sink in sinks)
        {
            sink.ReopenIfMovedOrDeleted();
            sink.Flush();
        }

        foreach (var sink in sinks)
        {
            sink.MarkCommitted();
        }

        statistics.AddRecorded(uncommittedCount);
        foreach (var recorded in awaitingCommit)
        {
            recorded.TrySetResult();
        }

        awaitingCommit.Clear();
        uncommittedCount = 0;
        RotateBySize();
    }

    /// <summary>After a failure: closes every file, keeping the uncommitted batches for <see cref="ReplayAndCommit"/>.</summary>
    public void Abandon()
    {
        foreach (var sink in sinks)
        {
            sink.Abandon();
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
        foreach (var sink in sinks)
        {
            sink.DiscardPending();
        }

        return lost;
    }

    public void Dispose()
    {
        foreach (var sink in sinks)
        {
            sink.Dispose();
        }
    }

    private void OpenAll()
    {
        foreach (var sink in sinks)
        {
            if (!sink.IsOpen)
            {
                sink.Open();
            }
        }
    }

    private void RotateBySize()
    {
        if (rotateMaxBytes <= 0)
        {
            return;
        }

        foreach (var sink in sinks)
        {
            if (sink.IsOpen && sink.HasRecords && sink.CommittedLength >= rotateMaxBytes)
            {
                try
                {
                    Rotate(sink, sink.FileDay ?? DateOnly.FromDateTime(DateTime.UtcNow));
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // The records are committed; keep appending to the active file and try again at the next commit.
                    statistics.AddWriteError(error);
                    logger.LogWarning(error, "Recorder: could not rotate {File}; will retry at the next flush", sink.FilePath);
                }
            }
        }
    }

    private void Rotate(RecordFileSink sink, DateOnly day)
    {
        var target = RotationNames.ForDay(sink.BasePath, day, sink.Extension);
        sink.Rotate(target);
        statistics.AddRotated();
        logger.LogInformation("Recorder: rotated {File} to {Rotated}", sink.FilePath, target);
    }
}

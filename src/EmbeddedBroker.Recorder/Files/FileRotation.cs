using EmbeddedBroker.Recorder.Pipeline;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// When and how the active files are renamed away (<see cref="RotationNames"/>): daily (Recorder:RotateDaily) when the
/// first message of a new UTC day arrives, all formats together; by size (Recorder:RotateMaxBytes) after a commit,
/// each format on its own size. A rotation that fails is counted, and the records go on into the active file; it is
/// tried again at every commit, so its log line is throttled (<see cref="FailureLogThrottle"/>). With
/// Recorder:CompressRotated the renamed file is then gzipped in the background (<see cref="RotatedFileCompressor"/>).
/// </summary>
internal sealed class FileRotation(long maxBytes, bool daily, bool compress, RecorderStatistics statistics, ILogger logger, TimeSpan reportInterval)
    : IDisposable
{
    private readonly RotatedFileCompressor? compressor = compress ? new RotatedFileCompressor(statistics, logger) : null;
    private readonly FailureLogThrottle failures = new(reportInterval);

    public bool IsDaily => daily;

    /// <summary>Lets a compression in progress finish (at most 30 s) so a stopped recorder leaves whole archives.</summary>
    public void Dispose() => compressor?.Idle.Wait(TimeSpan.FromSeconds(30));

    /// <summary>True when one of <paramref name="files"/> holds records of another UTC day than <paramref name="day"/>.</summary>
    public static bool AnotherDayIn(RecordFile[] files, DateOnly day)
    {
        foreach (var file in files)
        {
            if (file.FileDay is { } fileDay && fileDay != day)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Rotates the (committed) files that hold records of another day than <paramref name="day"/>.</summary>
    public void RotateOtherDays(RecordFile[] files, DateOnly day)
    {
        foreach (var file in files)
        {
            if (file.FileDay is { } fileDay && fileDay != day)
            {
                try
                {
                    Rotate(file, fileDay);
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // Keep the records flowing into the active file; the next day change tries again.
                    Failed(file, error, "continuing in the same file");
                    file.AdoptDay(day);
                }
            }
        }
    }

    /// <summary>After a commit: rotates the files that reached the size limit.</summary>
    public void RotateFull(RecordFile[] files)
    {
        if (maxBytes <= 0)
        {
            return;
        }

        foreach (var file in files)
        {
            if (file.IsOpen && file.HasRecords && file.CommittedLength >= maxBytes)
            {
                try
                {
                    Rotate(file, file.FileDay ?? DateOnly.FromDateTime(DateTime.UtcNow));
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    // The records are committed; keep appending to the active file and try again at the next commit.
                    Failed(file, error, "will retry at the next flush");
                }
            }
        }
    }

    private void Failed(RecordFile file, Exception error, string outcome)
    {
        statistics.AddWriteError(error);
        if (failures.TryReport(out var count, out var withStackTrace))
        {
            logger.LogWarning(withStackTrace ? error : null, "Recorder: could not rotate {File} ({Reason}); {Failures} failed attempt(s); {Outcome}",
                file.FilePath, $"{error.GetType().Name}: {error.Message}", count, outcome);
        }
    }

    private void Rotate(RecordFile file, DateOnly day)
    {
        var target = RotationNames.ForDay(file.BasePath, day, file.Extension);
        file.Rotate(target);
        statistics.AddRotated();
        logger.LogInformation("Recorder: rotated {File} to {Rotated}", file.FilePath, target);
        compressor?.Compress(target);
    }
}

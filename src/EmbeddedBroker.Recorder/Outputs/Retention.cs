using System.Text.RegularExpressions;
using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Options;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Outputs;

/// <summary>
/// The retention limit (Recorder:RetentionDays, Recorder:RetentionMaxBytes): after a commit, at most once a minute,
/// deletes rotated files (plain or gzipped; never the active files, never files moved aside) older than the age limit,
/// then the oldest ones while they add up to more than the size limit; and database rows the same way, in chunks, so one
/// run never holds the writer for long (a backlog is worked off over the following commits).
/// </summary>
internal sealed partial class Retention
{
    private const int RowsPerRun = 20_000;

    /// <summary>Rows deleted between two looks at the size: the limit is overshot by at most this many rows.</summary>
    private const int RowsPerSizeStep = 100;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly TimeSpan? maxAge;
    private readonly long maxBytes;
    private readonly RecordFile[] files;
    private readonly IRetainedOutput[] tables;
    private readonly RecorderStatistics statistics;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private long lastRunAt = long.MinValue;
    private bool backlog;

    public Retention(TimeSpan? maxAge, long maxBytes, RecordFile[] files, IRetainedOutput[] tables, RecorderStatistics statistics, ILogger logger, TimeProvider? time = null)
    {
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.files = files;
        this.tables = tables;
        this.statistics = statistics;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>Null when no limit is set.</summary>
    public static Retention? For(RecorderOptions options, RecordFile[] files, IEnumerable<IRetainedOutput> tables, RecorderStatistics statistics, ILogger logger) =>
        options.RetentionDays <= 0 && options.RetentionMaxBytes <= 0
            ? null
            : new Retention(options.RetentionDays > 0 ? TimeSpan.FromDays(options.RetentionDays) : null, options.RetentionMaxBytes, files, [.. tables], statistics, logger);

    public void RunIfDue()
    {
        var now = Environment.TickCount64;
        if (!backlog && lastRunAt != long.MinValue && now - lastRunAt < Interval.TotalMilliseconds)
        {
            return;
        }

        lastRunAt = now;
        RunNow();
    }

    /// <summary>One run: files, then tables. Failures are counted and logged (at most once a run), never thrown.</summary>
    public void RunNow()
    {
        backlog = false;
        try
        {
            DeleteFiles();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Report(error, "rotated files");
        }

        foreach (var table in tables)
        {
            try
            {
                backlog |= DeleteRows(table);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                Report(error, table is IRecordOutput output ? output.Name : "a database");
            }
        }
    }

    /// <summary>The rotated files of the active files, oldest first: <c>base.YYYY-MM-DD[.N].ext[.gz]</c>.</summary>
    public IReadOnlyList<FileInfo> RotatedFiles()
    {
        var found = new List<FileInfo>();
        foreach (var file in files)
        {
            var folder = Path.GetDirectoryName(file.FilePath)!;
            if (!Directory.Exists(folder))
            {
                continue;
            }

            var stem = Path.GetFileName(file.BasePath);
            foreach (var path in Directory.EnumerateFiles(folder, stem + ".*" + file.Extension + "*"))
            {
                var name = Path.GetFileName(path);
                var rest = name[stem.Length..];
                if (RotatedSuffix().IsMatch(rest) && (rest.EndsWith(file.Extension, StringComparison.Ordinal) || rest.EndsWith(file.Extension + RotatedFileCompressor.Extension, StringComparison.Ordinal)))
                {
                    found.Add(new FileInfo(path));
                }
            }
        }

        return [.. found.DistinctBy(f => f.FullName).OrderBy(f => f.LastWriteTimeUtc)];
    }

    private void DeleteFiles()
    {
        var rotated = RotatedFiles().ToList();
        if (maxAge is { } age)
        {
            var cutoff = time.GetUtcNow().UtcDateTime - age;
            foreach (var file in rotated.Where(f => f.LastWriteTimeUtc < cutoff).ToList())
            {
                Delete(file, "older than Recorder:RetentionDays");
                rotated.Remove(file);
            }
        }

        if (maxBytes > 0)
        {
            var total = rotated.Sum(f => f.Length);
            foreach (var file in rotated)
            {
                if (total <= maxBytes)
                {
                    break;
                }

                total -= file.Length;
                Delete(file, "over Recorder:RetentionMaxBytes");
            }
        }
    }

    private void Delete(FileInfo file, string why)
    {
        file.Delete();
        statistics.AddRetentionDeleted(1);
        logger.LogInformation("Recorder: deleted {File} ({Reason})", file.FullName, why);
    }

    /// <summary>Returns true when a limit still needs more deleting than one run does.</summary>
    private bool DeleteRows(IRetainedOutput table)
    {
        var deleted = 0;
        if (maxAge is { } age)
        {
            deleted = table.DeleteOlderThan(time.GetUtcNow() - age, RowsPerRun);
        }

        while (maxBytes > 0 && deleted < RowsPerRun && table.UsedBytes() is { } used && used > maxBytes)
        {
            var step = table.DeleteOldest(Math.Min(RowsPerSizeStep, RowsPerRun - deleted));
            if (step == 0)
            {
                break;
            }

            deleted += step;
        }

        statistics.AddRetentionDeleted(deleted);
        return deleted >= RowsPerRun;
    }

    private void Report(Exception error, string what)
    {
        statistics.AddWriteError(error);
        logger.LogWarning(error, "Recorder: the retention limit could not delete from {What}; trying again at the next run", what);
    }

    [GeneratedRegex(@"^\.\d{4}-\d{2}-\d{2}(\.\d+)?\.")]
    private static partial Regex RotatedSuffix();
}

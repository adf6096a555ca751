using System.IO.Compression;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// Gzips rotated files (Recorder:CompressRotated) one after the other on a background task, never on the writer loop:
/// compressing a 100 MB file takes seconds, during which the writer would stop draining the queue. The copy is written
/// to <c>.gz.tmp</c>, renamed to <c>.gz</c> once complete, and only then is the plain file deleted, so a crash leaves
/// either the plain file or both, never a truncated archive under the final name.
/// </summary>
internal sealed class RotatedFileCompressor(RecorderStatistics statistics, ILogger logger)
{
    public const string Extension = ".gz";

    private readonly Lock gate = new();
    private Task chain = Task.CompletedTask;

    /// <summary>The compressions queued or running (tests and shutdown wait for it).</summary>
    public Task Idle
    {
        get
        {
            lock (gate)
            {
                return chain;
            }
        }
    }

    public void Compress(string path)
    {
        lock (gate)
        {
            chain = chain.ContinueWith(_ => CompressNow(path), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void CompressNow(string path)
    {
        var target = path + Extension;
        var partial = target + ".tmp";
        try
        {
            using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
            using (var destination = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            using (var gzip = new GZipStream(destination, CompressionLevel.Optimal))
            {
                source.CopyTo(gzip);
            }

            File.Move(partial, target);
            File.Delete(path);
            logger.LogInformation("Recorder: compressed {File} to {Compressed}", path, target);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            statistics.AddWriteError(error);
            logger.LogWarning(error, "Recorder: could not compress {File}; it stays uncompressed", path);
            TryDelete(partial);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover .tmp is harmless.
        }
    }
}

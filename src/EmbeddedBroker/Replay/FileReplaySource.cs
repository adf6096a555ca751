using System.IO.Compression;

namespace EmbeddedBroker.Replay;

/// <summary>
/// What the file recordings share: the file opened for reading while the recorder may still append to it, gunzipped
/// when its name ends in .gz (rotated files with Recorder:CompressRotated), and the progress as the share of the
/// file's bytes read so far.
/// </summary>
internal abstract class FileReplaySource : IReplaySource
{
    private readonly FileStream file;

    protected FileReplaySource(string path)
    {
        Path = path;
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        Stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    public string Path { get; }

    public double Progress => file.Length == 0 ? 1 : Math.Min(1, (double)file.Position / file.Length);

    protected Stream Stream { get; }

    public abstract IAsyncEnumerable<ReplayRecord> ReadAsync(CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        await file.DisposeAsync().ConfigureAwait(false);
    }
}

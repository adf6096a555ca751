using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// Remembers which file an open handle refers to, to notice later that the file was deleted or moved away from its
/// path (an operator's rm, logrotate) while the recorder kept it open.
/// <para>
/// Linux names an open file by its current path in /proc/self/fd: another path once it is moved, "... (deleted)" once
/// it is removed. The name is compared with the name it had at opening, not with the configured path, so symbolic links
/// in the path do not matter. Without /proc (other systems) it can only tell that the path no longer exists.
/// </para>
/// </summary>
internal readonly struct OpenFileIdentity
{
    private readonly string? openedAs;

    private OpenFileIdentity(string? openedAs) => this.openedAs = openedAs;

    /// <summary>Takes note of the file <paramref name="file"/> refers to now.</summary>
    public static OpenFileIdentity Of(SafeFileHandle file) => new(NameOf(file));

    /// <summary>True when <paramref name="path"/> no longer names the file noted by <see cref="Of"/>.</summary>
    public bool WasMovedOrDeleted(SafeFileHandle file, string path) =>
        openedAs is null ? !File.Exists(path) : NameOf(file) != openedAs;

    private static string? NameOf(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return new FileInfo($"/proc/self/fd/{file.DangerousGetHandle()}").LinkTarget;
        }
        catch (IOException)
        {
            return null; // no /proc: fall back to checking that the path exists
        }
    }
}

using System.Diagnostics;

namespace EmbeddedBroker.Testing;

/// <summary>
/// A small tmpfs mounted on a temporary folder: a disk that fills up. Needs root (mount); the test is ignored
/// elsewhere. <see cref="Grow"/> remounts it larger ("space returns"); disposing unmounts and deletes the folder.
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    private SmallTmpfs(string directory) => Directory = directory;

    public string Directory { get; }

    public static SmallTmpfs MountOrIgnore(string size)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Assert.Ignore("needs root on Linux to mount a tmpfs");
        }
        var directory = System.IO.Directory.CreateTempSubdirectory("eb-fulldisk-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory);
        if (code != 0)
        {
            System.IO.Directory.Delete(directory);
            Assert.Ignore($"mount -t tmpfs failed: {output}");
        }
        return new SmallTmpfs(directory);
    }

    public void Grow(string size)
    {
        var (code, output) = Run("mount", "-o", $"remount,size={size}", Directory);
        Assert.That(code, Is.Zero, output);
    }

    public void Dispose()
    {
        if (Run("umount", Directory).Code != 0)
        {
            Run("umount", "-l", Directory);
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            return (-1, "timed out");
        }
        return (process.ExitCode, output);
    }
}

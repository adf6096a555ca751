using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// Switches an open file to direct I/O (Linux <c>O_DIRECT</c>), so the recorder's appends go from its buffer to the
/// device without being copied into the page cache.
/// <para>
/// Why: the recorder writes ~400 bytes per message (CSV + JSON), hundreds of MB/s in a flood. Buffered writes copy
/// every byte into newly allocated page-cache pages and leave them for the kernel's writeback, which costs the broker
/// more CPU than formatting the records (measured, docs/benchmarks.md) and evicts pages other programs use, for files
/// that are only ever appended to. Readers (tail -f, a spreadsheet, python) still see every byte written: the kernel
/// keeps direct and cached I/O of one file coherent.
/// </para>
/// .NET has no option for it (<see cref="FileOptions"/> has no O_DIRECT on Unix), hence fcntl(F_SETFL), which Linux
/// allows on an open descriptor. Direct writes must start at an offset, have a length and come from memory aligned to
/// the device's logical block size; <see cref="Alignment"/> (4096) covers every common one.
/// </summary>
internal static partial class DirectIo
{
    /// <summary>Offset, length and buffer alignment used for direct writes.</summary>
    public const int Alignment = 4096;

    private const int GetStatusFlags = 3; // F_GETFL
    private const int SetStatusFlags = 4; // F_SETFL

    /// <summary>Turns direct I/O on for <paramref name="file"/>; false when the platform or the file system cannot.</summary>
    public static bool TryEnable(SafeFileHandle file)
    {
        var direct = DirectFlag;
        if (direct == 0)
        {
            return false;
        }

        var flags = Fcntl(file, GetStatusFlags, 0);
        return flags >= 0 && ((flags & direct) != 0 || Fcntl(file, SetStatusFlags, flags | direct) == 0);
    }

    /// <summary>Back to buffered writes (the file system accepted the flag but refuses the writes).</summary>
    public static void Disable(SafeFileHandle file)
    {
        var direct = DirectFlag;
        var flags = direct == 0 ? -1 : Fcntl(file, GetStatusFlags, 0);
        if (flags >= 0 && (flags & direct) != 0)
        {
            _ = Fcntl(file, SetStatusFlags, flags & ~direct);
        }
    }

    /// <summary>The O_DIRECT bit, which differs between architectures; 0 where it is not known (then never used).</summary>
    private static int DirectFlag => !OperatingSystem.IsLinux()
        ? 0
        : RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 or Architecture.RiscV64 or Architecture.LoongArch64 or Architecture.S390x => 0x4000,
            Architecture.Arm64 or Architecture.Arm => 0x10000,
            Architecture.Ppc64le => 0x20000,
            _ => 0,
        };

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle file, int command, int argument);
}

using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// Writes <paramref name="bytes"/> at <paramref name="fileOffset"/> in one call (pwrite on Unix).
/// The production implementation is <see cref="RandomAccess.Write(SafeFileHandle, ReadOnlySpan{byte}, long)"/>;
/// tests substitute a counting one to prove that a flush is a single write.
/// </summary>
internal delegate void PositionalWrite(SafeFileHandle file, ReadOnlySpan<byte> bytes, long fileOffset);

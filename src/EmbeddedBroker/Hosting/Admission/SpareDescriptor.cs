using Microsoft.Win32.SafeHandles;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>
/// One descriptor held in reserve so that a listener out of descriptors can still take the pending connection off
/// its backlog and close it (otherwise accept() fails again at once and the client waits for nothing): give the spare
/// back, accept, close, take the spare again. The classic answer to EMFILE in an accept loop.
/// </summary>
internal sealed class SpareDescriptor : IDisposable
{
    private const string NullDevice = "/dev/null";
    private readonly Lock _lock = new();
    private SafeFileHandle? _spare = TryOpen();

    /// <summary>Runs <paramref name="useFreedDescriptor"/> with the spare released; false when there was no spare to
    /// release (another part of the process took the last descriptor), so the caller should wait a moment instead.</summary>
    public bool RunWithSpareReleased(Action useFreedDescriptor)
    {
        lock (_lock)
        {
            if (_spare is null)
            {
                _spare = TryOpen();
                return false;
            }

            _spare.Dispose();
            try
            {
                useFreedDescriptor();
            }
            finally
            {
                _spare = TryOpen();
            }

            return true;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _spare?.Dispose();
            _spare = null;
        }
    }

    private static SafeFileHandle? TryOpen()
    {
        try
        {
            return OperatingSystem.IsWindows() ? null : File.OpenHandle(NullDevice);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

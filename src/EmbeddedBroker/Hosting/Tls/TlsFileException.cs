namespace EmbeddedBroker.Hosting.Tls;

/// <summary>A certificate, key or CA file of a TLS listener that cannot be used; the message is one line with the fix.
/// At start-up it stops the program (<see cref="StartupException"/>); on a reload the previous files stay in force.</summary>
public sealed class TlsFileException : Exception
{
    public TlsFileException()
    {
    }

    public TlsFileException(string message) : base(message)
    {
    }

    public TlsFileException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

namespace EmbeddedBroker.Hosting;

/// <summary>
/// An expected reason not to start (a port in use, an unknown host name, an output folder that cannot be written):
/// its message is the one line the user sees, naming the cause and the fix. Exit code 2, no stack trace.
/// </summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

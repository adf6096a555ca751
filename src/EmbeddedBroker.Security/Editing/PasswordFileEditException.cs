namespace EmbeddedBroker.Security.Editing;

/// <summary>A password file edit that could not be done; the message is mosquitto_passwd's for the same case.</summary>
public sealed class PasswordFileEditException : Exception
{
    public PasswordFileEditException(string message, int exitCode = 1) : base(message) => ExitCode = exitCode;

    public PasswordFileEditException(string message, Exception innerException) : base(message, innerException) => ExitCode = 1;

    public PasswordFileEditException() => ExitCode = 1;

    public PasswordFileEditException(string message) : this(message, 1)
    {
    }

    /// <summary>mosquitto_passwd's exit code for it: 1, or 2 when the two passwords typed differ.</summary>
    public int ExitCode { get; }
}

namespace EmbeddedBroker.Cli;

/// <summary>The command line is wrong; <see cref="Exception.Message"/> lists every problem, each naming the option and the fix.</summary>
public sealed class CommandLineException : Exception
{
    public CommandLineException()
    {
    }

    public CommandLineException(string message)
        : base(message)
    {
    }

    public CommandLineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// A mosquitto.conf that cannot be used. <see cref="Exception.Message"/> is one line,
/// <c>FILE:LINE: KEY: what is wrong; what to do</c>, ready to print as the reason start-up stops.
/// </summary>
public sealed class MosquittoConfigurationException : Exception
{
    public MosquittoConfigurationException()
    {
    }

    public MosquittoConfigurationException(string message) : base(message)
    {
    }

    public MosquittoConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }

    internal MosquittoConfigurationException(string file, int line, string key, string problem, string fix)
        : base($"{file}:{line}: {key}: {problem}; {fix}")
    {
        File = file;
        Line = line;
        Key = key;
    }

    /// <summary>The file as named on the command line or found by include_dir.</summary>
    public string? File { get; }

    /// <summary>1-based line number; 0 when the problem is the file itself (missing, not UTF-8, too large).</summary>
    public int Line { get; }

    /// <summary>The mosquitto.conf key of the line (e.g. "bind_interface").</summary>
    public string? Key { get; }
}

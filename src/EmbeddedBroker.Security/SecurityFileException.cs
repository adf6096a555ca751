namespace EmbeddedBroker.Security;

/// <summary>
/// A password or ACL file that cannot be used: missing, unreadable, or with a line that does not parse. The message is
/// one line, "file:line: what is wrong; how to fix it", fit to print as it is at start-up or after a failed reload.
/// </summary>
public sealed class SecurityFileException : Exception
{
    public SecurityFileException(string filePath, int? lineNumber, string problem)
        : base(lineNumber is { } line ? $"{filePath}:{line}: {problem}" : $"{filePath}: {problem}")
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    public SecurityFileException(string filePath, string problem, Exception innerException)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
    }

    public SecurityFileException()
    {
        FilePath = "";
    }

    public SecurityFileException(string message) : base(message)
    {
        FilePath = "";
    }

    public SecurityFileException(string message, Exception innerException) : base(message, innerException)
    {
        FilePath = "";
    }

    /// <summary>The file as configured (not resolved), so that the message names what the user wrote.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number, or null when the problem concerns the whole file (missing, unreadable).</summary>
    public int? LineNumber { get; }

    /// <summary>Reads a whole text file, turning I/O failures into a one-line <see cref="SecurityFileException"/>.</summary>
    internal static string ReadAllText(string path, string kind, string fix)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SecurityFileException(path, $"cannot read the {kind}: {e.Message} {fix}", e);
        }
    }
}

using System.CommandLine;

namespace EmbeddedBroker.Cli;

/// <summary>The outcome of <see cref="CommandLineParser.Parse"/>: what to run and the configuration the command line sets.</summary>
public sealed class ParsedCommandLine
{
    public CliCommand Command { get; init; }

    public bool ShowHelp { get; init; }

    public bool ShowVersion { get; init; }

    /// <summary>One line per problem, each naming the option and the fix. Non-empty means: do not start (exit code 2).</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The -c/--config file, if given.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Configuration keys set by the command line: the highest-precedence source.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Array sections the command line sets as a whole (e.g. Recorder:Topics from --topic): the lower sources'
    /// entries are hidden, otherwise configuration would merge the two lists index by index.
    /// </summary>
    public IReadOnlyList<string> ReplacedSections { get; init; } = [];

    public bool IsValid => Errors.Count == 0;

    /// <summary>System.CommandLine's result, which writes --help and --version.</summary>
    internal ParseResult? Result { get; init; }

    /// <summary>Writes the help of the command (or the version) to <paramref name="output"/>.</summary>
    public int WriteHelpOrVersion(TextWriter output) =>
        Result?.Invoke(new InvocationConfiguration { Output = output, Error = output }) ?? 0;
}

using System.CommandLine;
using System.CommandLine.Invocation;

namespace EmbeddedBroker.Cli;

/// <summary>
/// Parses `EmbeddedBroker [record|healthcheck|passwd|replay] [options]` with System.CommandLine over the tree of
/// <see cref="CommandLineDefinition"/>. Options may be written `--port 1884` or `--port=1884`; any configuration key
/// can also be set as `--Section:Key value`. Problems are one line each, naming the option and the fix, and an
/// unknown word comes with System.CommandLine's suggestions of the closest ones.
/// </summary>
public static class CommandLineParser
{
    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var definition = CommandLineDefinition.Create();
        var words = args.Count > 0 && args[0] == "help" ? ["--help", .. args.Skip(1)] : args.ToList();
        var valueOptions = CliCatalog.Serve.Concat(CliCatalog.Record).Concat(CliCatalog.HealthCheck).Concat(CliCatalog.Replay)
            .Where(o => o.TakesValue).SelectMany(o => o.Names).ToHashSet(StringComparer.Ordinal);
        var extracted = ConfigurationKeyArguments.Extract(words, valueOptions);
        var result = definition.Root.Parse(extracted.Rest, CommandLineDefinition.ParserConfiguration);

        var command = definition.CommandOf(result.CommandResult.Command);
        var overrides = new Dictionary<string, string?>(extracted.Settings, StringComparer.OrdinalIgnoreCase);
        var replaced = new List<string>();
        string? configFile = null;
        foreach (var (option, spec) in definition.OptionsOf(result.CommandResult.Command))
        {
            if (result.GetResult(option) is not { Implicit: false } given || given.Tokens.Count == 0 && spec.TakesValue)
            {
                continue;
            }

            if (!spec.TakesValue)
            {
                overrides[spec.ConfigKey] = spec.FlagValue;
            }
            else if (spec.IsList)
            {
                var values = given.Tokens.SelectMany(t => OptionValueChecks.SplitList(t.Value)).ToList();
                for (var i = 0; i < values.Count; i++)
                {
                    overrides[$"{spec.ConfigKey}:{i}"] = values[i];
                }

                replaced.Add(spec.ConfigKey);
            }
            else if (spec.ConfigKey == CliCatalog.ConfigFileKey)
            {
                configFile = given.Tokens[^1].Value;
            }
            else
            {
                overrides[spec.ConfigKey] = given.Tokens[^1].Value;
            }
        }

        if (command == CliCommand.Replay && result.GetValue(definition.ReplaySource) is { Length: > 0 } source)
        {
            overrides[CliCatalog.ReplaySourceKey] = source;
        }

        var showHelp = result.Action is HelpWithConfigurationNotes;
        return new ParsedCommandLine
        {
            Command = command,
            ShowHelp = showHelp,
            ShowVersion = !showHelp && result.Action is { } action && action == definition.Root.Options.OfType<VersionOption>().Single().Action,
            Errors = [.. extracted.Errors, .. Describe(result)],
            ConfigFile = configFile,
            Overrides = overrides,
            ReplacedSections = replaced,
            Result = result,
        };
    }

    /// <summary>
    /// The parse errors as System.CommandLine reports them, its "did you mean" suggestions first, one per line (our
    /// validators' messages among them). Help and version requests are not errors.
    /// </summary>
    private static List<string> Describe(ParseResult result)
    {
        if (result.Action is not ParseErrorAction errorAction)
        {
            return [];
        }

        errorAction.ShowHelp = false;
        errorAction.ShowTypoCorrections = true;
        using var text = new StringWriter();
        result.Invoke(new InvocationConfiguration { Output = text, Error = text, EnableDefaultExceptionHandler = false });
        var lines = new List<string>();
        var suggesting = false;
        foreach (var line in text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "'--prot' was not matched. Did you mean one of the following?" is followed by the candidates, one per line.
            suggesting = (suggesting && !line.Contains(' ', StringComparison.Ordinal)) || line.EndsWith('?');
            lines.Add(suggesting && !line.EndsWith('?') ? $"    {line}" : line);
        }

        return lines;
    }
}

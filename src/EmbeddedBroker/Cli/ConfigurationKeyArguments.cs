namespace EmbeddedBroker.Cli;

/// <summary>
/// `--Section:Key value` and `--Section:Key=value`: any configuration key on the command line (the host's own syntax,
/// e.g. `--Recorder:FlushIntervalMs 200`), checked later by that section's options validator. System.CommandLine
/// knows only declared options, so these pairs are taken out before it parses the rest.
/// </summary>
internal static class ConfigurationKeyArguments
{
    public sealed record Extracted(List<string> Rest, Dictionary<string, string?> Settings, List<string> Errors);

    /// <param name="valueOptions">Declared option names that take a value: the word after them is never a key.</param>
    public static Extracted Extract(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions)
    {
        var rest = new List<string>(args.Count);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        for (var index = 0; index < args.Count; index++)
        {
            var token = args[index];
            if (valueOptions.Contains(token) && index + 1 < args.Count)
            {
                rest.Add(token);
                rest.Add(args[++index]);
                continue;
            }

            if (!IsKey(token))
            {
                rest.Add(token);
                continue;
            }

            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? token[2..] : token[2..equals];
            if (equals >= 0)
            {
                settings[key] = token[(equals + 1)..];
            }
            else if (index + 1 < args.Count && !LooksLikeOption(args[index + 1]))
            {
                settings[key] = args[++index];
            }
            else
            {
                errors.Add($"--{key} needs a value, e.g. --{key} VALUE (or --{key}=VALUE).");
            }
        }

        return new Extracted(rest, settings, errors);
    }

    private static bool IsKey(string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length < 4)
        {
            return false;
        }

        var equals = token.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? token : token[..equals];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon > 2 && colon < name.Length - 1;
    }

    /// <summary>A value never starts with '-' followed by a letter; "-5" is a (bad) number, not an option.</summary>
    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]);
}

using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Cli;

/// <summary>
/// The lower-precedence configuration (files, environment) with some sections hidden. Configuration merges arrays
/// index by index, so `--topic a` over a file listing [x, y] would give [a, y]; hiding the file's entries makes
/// the command line replace the list as users expect.
/// </summary>
internal sealed class ReplacedSectionsConfigurationSource(IConfiguration lower, IReadOnlyList<string> hiddenSections) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(lower, hiddenSections);

    private sealed class Provider(IConfiguration lower, IReadOnlyList<string> hiddenSections) : ConfigurationProvider
    {
        public override void Load()
        {
            foreach (var (key, value) in lower.AsEnumerable())
            {
                if (value is not null && !hiddenSections.Any(section => IsWithin(key, section)))
                {
                    Data[key] = value;
                }
            }
        }

        private static bool IsWithin(string key, string section) =>
            key.Equals(section, StringComparison.OrdinalIgnoreCase)
            || (key.Length > section.Length && key[section.Length] == ':' && key.StartsWith(section, StringComparison.OrdinalIgnoreCase));
    }
}

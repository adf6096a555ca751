using System.Text;
using System.Text.RegularExpressions;
using EmbeddedBroker.Cli;

namespace EmbeddedBroker.App.Tests.Cli;

/// <summary>Every command line that README.md and docs/cli.md show is one the parser accepts (the one invalid example excepted).</summary>
public partial class DocumentedCommandLineTests
{
    /// <summary>docs/cli.md shows this one to demonstrate the error messages.</summary>
    private const string InvalidOnPurpose = "--prot 1884 --format xml";

    public static IEnumerable<TestCaseData> DocumentedCommandLines()
    {
        foreach (var document in new[] { "README.md", Path.Combine("docs", "cli.md") })
        {
            var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, document));
            var commands = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match match in Invocation().Matches(text))
            {
                var arguments = ShellComment().Split(match.Groups["args"].Value)[0].Trim().TrimEnd('\\').Trim();
                if (arguments.Contains('[', StringComparison.Ordinal) || arguments.Contains("   ", StringComparison.Ordinal)
                    || arguments.StartsWith("cannot", StringComparison.Ordinal)
                    || arguments.StartsWith("stopped", StringComparison.Ordinal) || arguments.StartsWith("--help lists", StringComparison.Ordinal))
                {
                    continue; // a synopsis or a line of output, not a command
                }

                if (commands.Add(arguments))
                {
                    yield return new TestCaseData(document, arguments).SetArgDisplayNames(document, arguments.Length == 0 ? "(no arguments)" : arguments);
                }
            }
        }
    }

    [TestCaseSource(nameof(DocumentedCommandLines))]
    public void Documented_command_line_is_accepted(string document, string arguments)
    {
        var parsed = CommandLineParser.Parse(ShellWords(arguments));

        if (arguments == InvalidOnPurpose)
        {
            Assert.That(parsed.IsValid, Is.False);
            return;
        }

        Assert.That(parsed.Errors, Is.Empty, $"{document}: EmbeddedBroker {arguments}");
    }

    [Test]
    public void The_documents_show_command_lines()
    {
        Assert.That(DocumentedCommandLines().Count(), Is.GreaterThan(15), "the scan finds the documents' examples");
    }

    /// <summary>Splits like a POSIX shell for the documents' examples: single and double quotes, no expansion.</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line)
        {
            if (quote is { } open)
            {
                if (c == open)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>
    /// "EmbeddedBroker ARGS" (in a code block or a `code span`), "dotnet run --project src/EmbeddedBroker -c Release -- ARGS",
    /// and a container run's "... embeddedbroker ARGS" (the image name, then the program's arguments).
    /// </summary>
    [GeneratedRegex(@"(?:^\$? ?EmbeddedBroker|`EmbeddedBroker|dotnet run --project src/EmbeddedBroker -c Release --|docker run [^\n`]*? embeddedbroker)(?<args>(?: [^\n`|]*)?)(?=$|`)", RegexOptions.Multiline)]
    private static partial Regex Invocation();

    /// <summary>A shell comment: '#' at the start of a word ('sensors/#' is not one).</summary>
    [GeneratedRegex(@"(?:^|\s)#(?:\s|$)")]
    private static partial Regex ShellComment();
}

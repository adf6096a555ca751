using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security.Passwords;

namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// A parsed Mosquitto ACL file (mosquitto.conf(5), "acl_file"; src/security_default.c, aclfile__parse, 2.0.11):
/// <c>topic [read|write|readwrite|deny] FILTER</c> lines before the first <c>user NAME</c> line are for anonymous
/// clients, those after it for that user (a user may appear more than once), and <c>pattern ...</c> lines, wherever
/// they are, for every client with %c and %u replaced by its client id and user name. Words are separated by spaces
/// only; a comment is a line whose first character is '#'; a filter may contain spaces when the access word is given.
/// Any line Mosquitto refuses is refused here too, with file:line and the fix.
/// </summary>
public sealed class AclFile
{
    private AclFile(string path, IReadOnlyList<AclRule> anonymous, IReadOnlyDictionary<string, IReadOnlyList<AclRule>> users,
        IReadOnlyList<AclRule> patterns, IReadOnlyList<string> warnings)
    {
        Path = path;
        AnonymousRules = anonymous;
        UserRules = users;
        Patterns = patterns;
        Warnings = warnings;
    }

    public string Path { get; }

    /// <summary>"topic" lines before the first "user" line.</summary>
    public IReadOnlyList<AclRule> AnonymousRules { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<AclRule>> UserRules { get; }

    public IReadOnlyList<AclRule> Patterns { get; }

    /// <summary>Lines that parse but probably do not say what was meant (file:line: ...), to log at load.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public int RuleCount => AnonymousRules.Count + UserRules.Values.Sum(r => r.Count) + Patterns.Count;

    public static AclFile Load(string path)
    {
        var text = SecurityFileException.ReadAllText(path, "ACL file", "Create it, or correct acl_file.");
        return Parse(text, path);
    }

    public static AclFile Parse(string text, string path)
    {
        var anonymous = new List<AclRule>();
        var users = new Dictionary<string, List<AclRule>>(StringComparer.Ordinal);
        var patterns = new List<AclRule>();
        var warnings = new List<string>();
        string? user = null;

        var lines = PasswordFileLine.SplitLines(text);
        for (var index = 0; index < lines.Length; index++)
        {
            var number = index + 1;
            var line = lines[index].TrimEnd(); // Mosquitto trims trailing white space (isspace), not leading
            if (line.StartsWith('#'))
            {
                continue;
            }

            var keywordStart = SkipSpaces(line, 0);
            if (keywordStart == line.Length)
            {
                continue;
            }
            var keywordEnd = WordEnd(line, keywordStart);
            var keyword = line[keywordStart..keywordEnd];
            SecurityFileException Error(string problem) => new(path, number, problem);

            switch (keyword)
            {
                case "user":
                    // The rest of the line, blanks trimmed, is the name: it may contain spaces.
                    var name = keywordEnd < line.Length ? line[(keywordEnd + 1)..].Trim() : "";
                    if (name.Length == 0)
                    {
                        throw Error("'user' needs a user name: user NAME");
                    }
                    user = name;
                    break;
                case "topic" or "pattern":
                    var rule = ParseRule(line, keyword, keywordEnd, number, Error, warnings, path);
                    if (keyword == "pattern")
                    {
                        patterns.Add(rule);
                    }
                    else if (user is null)
                    {
                        anonymous.Add(rule);
                    }
                    else
                    {
                        (users.TryGetValue(user, out var list) ? list : users[user] = []).Add(rule);
                    }
                    break;
                default:
                    throw Error(InvalidLineProblem(line, keyword));
            }
        }

        return new AclFile(path, anonymous, users.ToDictionary(p => p.Key, p => (IReadOnlyList<AclRule>)p.Value, StringComparer.Ordinal),
            patterns, warnings);
    }

    private static AclRule ParseRule(string line, string keyword, int keywordEnd, int number,
        Func<string, SecurityFileException> error, List<string> warnings, string path)
    {
        var accessStart = SkipSpaces(line, keywordEnd);
        if (accessStart == line.Length)
        {
            throw error($"'{keyword}' needs a topic filter: {keyword} [read|write|readwrite|deny] FILTER");
        }
        var accessEnd = WordEnd(line, accessStart);
        var first = line[accessStart..accessEnd];

        // Like strtok_r(NULL, "", ...): everything after the space that ends the access word, blanks trimmed.
        var rest = accessEnd < line.Length ? line[(accessEnd + 1)..].Trim() : "";
        AclAccess access;
        string filter;
        if (rest.Length == 0)
        {
            access = AclAccess.ReadWrite;
            filter = first;
            if (first is "read" or "write" or "readwrite" or "deny")
            {
                warnings.Add($"{path}:{number}: '{keyword} {first}' grants read and write on a topic named '{first}' (as in Mosquitto); write '{keyword} {first} FILTER' to give that access to a filter");
            }
        }
        else
        {
            access = first switch
            {
                "read" => AclAccess.Read,
                "write" => AclAccess.Write,
                "readwrite" => AclAccess.ReadWrite,
                "deny" => AclAccess.Deny,
                _ => throw error($"unknown access '{first}' in '{line.Trim()}'; use read, write, readwrite or deny before the filter"),
            };
            filter = rest;
        }

        if (!MqttTopic.IsValidTopicFilter(filter))
        {
            throw error($"'{filter}' is not a valid topic filter: '+' and '#' must fill a whole level and '#' must be the last level");
        }

        if (keyword == "pattern" && !filter.Contains("%c", StringComparison.Ordinal) && !filter.Contains("%u", StringComparison.Ordinal))
        {
            warnings.Add($"{path}:{number}: pattern '{filter}' contains neither %c nor %u: it applies to every client alike");
        }
        return new AclRule(access, filter, number);
    }

    private static string InvalidLineProblem(string line, string keyword)
    {
        if (keyword.StartsWith('#'))
        {
            return "a comment must have '#' in the first column (Mosquitto refuses an indented comment too)";
        }
        if (keyword.Contains('\t', StringComparison.Ordinal))
        {
            return $"'{line.Trim()}': separate the words with spaces, not tabs (Mosquitto splits on spaces only)";
        }
        return $"unknown keyword '{keyword}'; an ACL line is 'user NAME', 'topic [read|write|readwrite|deny] FILTER', 'pattern [read|write|readwrite|deny] FILTER' or a '#' comment";
    }

    private static int SkipSpaces(string line, int index)
    {
        while (index < line.Length && line[index] == ' ')
        {
            index++;
        }
        return index;
    }

    private static int WordEnd(string line, int index)
    {
        var space = line.IndexOf(' ', index);
        return space < 0 ? line.Length : space;
    }
}

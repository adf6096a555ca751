using System.Collections.Frozen;
using System.Security.Cryptography;

namespace EmbeddedBroker.Security.Passwords;

/// <summary>
/// A loaded Mosquitto password file: "user:$7$..." or "user:$6$..." lines, '#' comments and blank lines. Immutable:
/// a reload builds a new one and swaps it in.
/// <para>
/// Stricter than Mosquitto, which logs a bad line and drops that user: here any line that does not parse stops the
/// load with file:line and the fix, so a typo never silently locks a user out (or, for plain-text lines, never
/// silently leaves a password unhashed). Names are compared exactly (ordinal), as Mosquitto does.
/// </para>
/// </summary>
public sealed class PasswordFile
{
    private const string HashFix = "set the password again with `EmbeddedBroker passwd FILE USER` (or mosquitto_passwd)";

    private readonly FrozenDictionary<string, PasswordHash> _users;

    // Unknown users are checked against this, so that a refusal costs the same time whether the user exists or not.
    private readonly PasswordHash _dummy;

    private PasswordFile(string path, FrozenDictionary<string, PasswordHash> users, PasswordHash dummy)
    {
        Path = path;
        _users = users;
        _dummy = dummy;
    }

    /// <summary>The file as it was configured.</summary>
    public string Path { get; }

    public int Count => _users.Count;

    public IEnumerable<string> Usernames => _users.Keys;

    /// <summary>Reads and parses <paramref name="path"/>; throws <see cref="SecurityFileException"/> with file:line and the fix.</summary>
    public static PasswordFile Load(string path)
    {
        var text = SecurityFileException.ReadAllText(path, "password file",
            "Create it with `EmbeddedBroker passwd -c FILE USER`, or correct password_file.");
        return Parse(text, path);
    }

    /// <summary>Parses the text of a password file; <paramref name="path"/> names it in error messages.</summary>
    public static PasswordFile Parse(string text, string path)
    {
        var users = new Dictionary<string, PasswordHash>(StringComparer.Ordinal);
        var lineOfUser = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = PasswordFileLine.SplitLines(text);
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var number = index + 1;
            if (PasswordFileLine.IsComment(line) || PasswordFileLine.IsBlank(line))
            {
                continue;
            }

            if (!PasswordFileLine.TrySplit(line, out var username, out var secret))
            {
                throw new SecurityFileException(path, number, username.Length == 0
                    ? "expected 'user:hash' (a user name, ':', then the hash); comments start with '#' in the first column"
                    : $"user '{username}' has no password hash; {HashFix}");
            }

            if (username.Length > ushort.MaxValue)
            {
                throw new SecurityFileException(path, number, "the user name is longer than 65,535 characters (MQTT's limit); shorten it");
            }

            if (secret.Contains(':', StringComparison.Ordinal))
            {
                throw new SecurityFileException(path, number, $"the hash of user '{username}' contains ':'; {HashFix}");
            }

            if (!PasswordHash.TryParse(secret, out var hash, out var problem))
            {
                var fix = secret.StartsWith('$')
                    ? HashFix
                    : "hash the file's plain-text passwords with `EmbeddedBroker passwd -U FILE` (or mosquitto_passwd -U)";
                throw new SecurityFileException(path, number, $"user '{username}': {problem}; {fix}");
            }

            if (lineOfUser.TryGetValue(username, out var firstLine))
            {
                throw new SecurityFileException(path, number,
                    $"user '{username}' is already defined on line {firstLine}; delete one of the two lines");
            }

            users.Add(username, hash!);
            lineOfUser.Add(username, number);
        }

        return new PasswordFile(path, users.ToFrozenDictionary(StringComparer.Ordinal), CreateDummy(users.Values));
    }

    public bool Contains(string username) => _users.ContainsKey(username);

    public bool TryGetHash(string username, out PasswordHash? hash) => _users.TryGetValue(username, out hash);

    /// <summary>
    /// Checks a user name and password. An unknown user is hashed against a dummy of the file's most common scheme, so
    /// that a timing does not tell which names exist.
    /// </summary>
    public PasswordCheck Check(string username, ReadOnlySpan<byte> password)
    {
        if (_users.TryGetValue(username, out var hash))
        {
            return hash.Verify(password) ? PasswordCheck.Accepted : PasswordCheck.WrongPassword;
        }

        _dummy.Verify(password);
        return PasswordCheck.UnknownUser;
    }

    /// <summary>The scheme and iterations unknown users are hashed with.</summary>
    internal (PasswordHashType Type, int Iterations) DummyParameters => (_dummy.Type, _dummy.Iterations);

    /// <summary>Spends the time of a check without a user: for clients that sent a user name but no password.</summary>
    internal void SpendCheckTime(ReadOnlySpan<byte> password) => _dummy.Verify(password);

    private static PasswordHash CreateDummy(IEnumerable<PasswordHash> hashes)
    {
        var mostCommon = hashes
            .GroupBy(h => (Type: h.Type, Iterations: h.Iterations))
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .DefaultIfEmpty((Type: PasswordHashType.Sha512Pbkdf2, Iterations: PasswordHash.DefaultIterations))
            .First();
        return PasswordHash.FromSalt(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(PasswordHash.SaltLength),
            mostCommon.Type, mostCommon.Iterations);
    }
}

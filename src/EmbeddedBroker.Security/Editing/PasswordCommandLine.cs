using System.Globalization;
using EmbeddedBroker.Security.Passwords;

namespace EmbeddedBroker.Security.Editing;

/// <summary>What a password command does: the four modes of mosquitto_passwd.</summary>
public enum PasswordCommandMode
{
    /// <summary>Add the user or change its password (the file must exist).</summary>
    SetPassword,

    /// <summary>-c: write a new file holding only this user (overwrites an existing file).</summary>
    Create,

    /// <summary>-D: remove the user.</summary>
    Delete,

    /// <summary>-U: hash every plain-text password of the file.</summary>
    Upgrade,
}

/// <summary>
/// The arguments of <c>passwd [-H sha512|sha512-pbkdf2] [-I iterations] [-c | -D] [-b] [-U] FILE [USER [PASSWORD]]</c>,
/// parsed by mosquitto_passwd's rules (apps/mosquitto_passwd/mosquitto_passwd.c, 2.0.11): options come first and stop
/// at the first other argument, the same combinations are refused with the same messages, and exit code 1.
/// </summary>
public sealed record PasswordCommandLine(
    PasswordCommandMode Mode,
    string FilePath,
    string? Username,
    string? Password,
    bool Batch,
    PasswordHashType HashType,
    int Iterations)
{
    /// <summary>
    /// Parses <paramref name="arguments"/>. On failure returns null and writes the message (or the usage text, to
    /// <paramref name="output"/>, as mosquitto_passwd prints it) — the exit code is then 1.
    /// </summary>
    public static PasswordCommandLine? Parse(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, string commandName)
    {
        if (arguments.Count == 0)
        {
            WriteUsage(output, commandName);
            return null;
        }

        var hashType = PasswordHashType.Sha512Pbkdf2;
        var iterations = PasswordHash.DefaultIterations;
        bool batch = false, create = false, delete = false, upgrade = false;
        var index = 0;
        for (; index < arguments.Count; index++)
        {
            switch (arguments[index])
            {
                case "-H":
                    if (index + 1 == arguments.Count)
                    {
                        return Fail(error, "Error: -H argument given but not enough other arguments.");
                    }
                    var name = arguments[++index];
                    if (name == "sha512")
                        hashType = PasswordHashType.Sha512;
                    else if (name == "sha512-pbkdf2")
                        hashType = PasswordHashType.Sha512Pbkdf2;
                    else
                        return Fail(error, $"Error: Unknown hash type '{name}'");
                    continue;
                case "-I":
                    if (index + 1 == arguments.Count)
                    {
                        return Fail(error, "Error: -I argument given but not enough other arguments.");
                    }
                    if (!int.TryParse(arguments[++index], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
                    {
                        return Fail(error, "Error: Number of iterations must be > 0.");
                    }
                    continue;
                case "-b":
                    batch = true;
                    continue;
                case "-c":
                    create = true;
                    continue;
                case "-D":
                    delete = true;
                    continue;
                case "-U":
                    upgrade = true;
                    continue;
            }
            break;
        }

        if (create && delete) return Fail(error, "Error: -c and -D cannot be used together.");
        if (create && upgrade) return Fail(error, "Error: -c and -U cannot be used together.");
        if (delete && upgrade) return Fail(error, "Error: -D and -U cannot be used together.");
        if (delete && batch) return Fail(error, "Error: -b and -D cannot be used together.");

        var remaining = arguments.Count - index;
        string? At(int offset) => index + offset < arguments.Count ? arguments[index + offset] : null;
        PasswordCommandLine Make(PasswordCommandMode mode, bool withUser, bool withPassword) =>
            new(mode, arguments[index], withUser ? At(1) : null, withPassword ? At(2) : null, batch, hashType, iterations);

        PasswordCommandLine? command;
        if (create)
        {
            // Like mosquitto_passwd, extra arguments after the ones needed are ignored with -c and -D.
            command = batch
                ? remaining >= 3 ? Make(PasswordCommandMode.Create, true, true) : Fail(error, "Error: -c argument given but password file, username, or password missing.")
                : remaining >= 2 ? Make(PasswordCommandMode.Create, true, false) : Fail(error, "Error: -c argument given but password file or username missing.");
        }
        else if (delete)
        {
            command = remaining >= 2 ? Make(PasswordCommandMode.Delete, true, false) : Fail(error, "Error: -D argument given but password file or username missing.");
        }
        else if (upgrade)
        {
            command = remaining == 1 ? Make(PasswordCommandMode.Upgrade, false, false) : Fail(error, "Error: -U argument given but password file missing.");
        }
        else if ((batch && remaining == 3) || (!batch && remaining == 2))
        {
            command = Make(PasswordCommandMode.SetPassword, true, batch);
        }
        else
        {
            WriteUsage(output, commandName);
            return null;
        }

        return command is null || !command.IsValid(error) ? null : command;
    }

    public static void WriteUsage(TextWriter output, string commandName)
    {
        output.Write($"""
            {commandName} manages password files in mosquitto_passwd's format (for EmbeddedBroker and mosquitto).

            Usage: {commandName} [-H sha512 | -H sha512-pbkdf2] [-c | -D] passwordfile username
                   {commandName} [-H sha512 | -H sha512-pbkdf2] [-c] -b passwordfile username password
                   {commandName} -U passwordfile
             -b : run in batch mode to allow passing passwords on the command line.
             -c : create a new password file. This will overwrite existing files.
             -D : delete the username rather than adding/updating its password.
             -H : specify the hashing algorithm. Defaults to sha512-pbkdf2, which is recommended.
                  Mosquitto 1.6 and earlier defaulted to sha512.
             -U : update a plain text password file to use hashed passwords.

            See docs/security.md for more information.


            """);
    }

    /// <summary>mosquitto_passwd's is_username_valid: the message for a user name it refuses, or null.</summary>
    internal static string? UsernameProblem(string username) =>
        username.Length > ushort.MaxValue ? "Error: Username must be less than 65536 characters long."
        : username.Any(char.IsControl) ? "Error: Username must not contain control characters."
        : username.Contains(':', StringComparison.Ordinal) ? "Error: Username must not contain the ':' character."
        : null;

    /// <summary>mosquitto_passwd's password length check, in UTF-8 bytes as its strlen counts them.</summary>
    internal static string? PasswordProblem(string password) =>
        System.Text.Encoding.UTF8.GetByteCount(password) > ushort.MaxValue ? "Error: Password must be less than 65536 characters long."
        : password.Contains('\0', StringComparison.Ordinal) ? "Error: Password must not contain a NUL character (Mosquitto ends a password there)."
        : null;

    private bool IsValid(TextWriter error)
    {
        var problem = (Username is null ? null : UsernameProblem(Username)) ?? (Password is null ? null : PasswordProblem(Password));
        if (problem is not null)
        {
            error.WriteLine(problem);
        }
        return problem is null;
    }

    private static PasswordCommandLine? Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return null;
    }
}

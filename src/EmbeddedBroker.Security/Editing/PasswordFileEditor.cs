using System.Text;
using EmbeddedBroker.Security.Passwords;

namespace EmbeddedBroker.Security.Editing;

/// <summary>
/// <c>passwd [-c] [-b] [-D] [-U] [-H hash] FILE USER [PASSWORD]</c> with mosquitto_passwd's semantics, messages and exit
/// codes (0 done, 1 error, 2 the passwords typed differ), over files either tool can read. <see cref="Run"/> is the
/// command; the static methods are the same operations for code. Every write replaces the file atomically
/// (<see cref="AtomicFile"/>) keeping its permissions; a new file is created 0600.
/// </summary>
public sealed class PasswordFileEditor
{
    public const string DefaultCommandName = "EmbeddedBroker passwd";

    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly IPasswordPrompt _prompt;
    private readonly string _commandName;

    public PasswordFileEditor(TextWriter output, TextWriter error, IPasswordPrompt prompt, string commandName = DefaultCommandName)
    {
        _output = output;
        _error = error;
        _prompt = prompt;
        _commandName = commandName;
    }

    /// <summary>Runs the command; returns the process exit code. Messages go to the writers given, never a stack trace.</summary>
    public int Run(IReadOnlyList<string> arguments)
    {
        var command = PasswordCommandLine.Parse(arguments, _output, _error, _commandName);
        if (command is null)
        {
            return 1;
        }

        try
        {
            Execute(command);
            return 0;
        }
        catch (PasswordFileEditException e)
        {
            _error.WriteLine(e.Message);
            return e.ExitCode;
        }
    }

    /// <summary>-c: a new file holding only <paramref name="username"/> (an existing file is overwritten).</summary>
    public static void Create(string path, string username, string password,
        PasswordHashType hashType = PasswordHashType.Sha512Pbkdf2, int iterations = PasswordHash.DefaultIterations)
    {
        var line = NewLine(username, password, hashType, iterations);
        Write(path, line, $"Error: Unable to open file {path} for writing.");
    }

    /// <summary>Adds <paramref name="username"/> or changes its password; the file must exist.</summary>
    public static void SetPassword(string path, string username, string password,
        PasswordHashType hashType = PasswordHashType.Sha512Pbkdf2, int iterations = PasswordHash.DefaultIterations)
    {
        Validate(username, password);
        var text = ReadExisting(path);
        Write(path, PasswordFileEdits.SetPassword(text, username, () => NewLine(username, password, hashType, iterations)), UpdateError);
    }

    /// <summary>-D: removes <paramref name="username"/>; an error (exit 1) when it is not in the file.</summary>
    public static void Delete(string path, string username)
    {
        Validate(username, null);
        if (!PasswordFileEdits.TryDelete(ReadExisting(path), username, out var text))
        {
            throw new PasswordFileEditException($"Warning: User {username} not found in password file.");
        }
        Write(path, text, UpdateError);
    }

    /// <summary>-U: hashes every plain-text password ("user:password" lines) with $7$ and 101 iterations.</summary>
    public static void Upgrade(string path)
    {
        var text = PasswordFileEdits.Upgrade(ReadExisting(path),
            (user, password) => NewLine(user, password, PasswordHashType.Sha512Pbkdf2, PasswordHash.DefaultIterations));
        Write(path, text, UpdateError);
    }

    private const string UpdateError = "Error occurred updating password file.";

    private void Execute(PasswordCommandLine command)
    {
        var path = AtomicFile.ResolveLinks(command.FilePath);
        switch (command.Mode)
        {
            case PasswordCommandMode.Create:
                Create(path, command.Username!, command.Password ?? AskNewPassword(), command.HashType, command.Iterations);
                break;
            case PasswordCommandMode.Delete:
                Delete(path, command.Username!);
                break;
            case PasswordCommandMode.Upgrade:
                Upgrade(path);
                break;
            default:
                if (command.Password is null)
                {
                    ReadExisting(path); // like mosquitto_passwd: a missing file is reported before the password is asked
                }
                SetPassword(path, command.Username!, command.Password ?? AskNewPassword(), command.HashType, command.Iterations);
                break;
        }
    }

    /// <summary>mosquitto_passwd's get_password: asked twice; empty is refused (exit 1), two different answers exit 2.</summary>
    private string AskNewPassword()
    {
        var first = _prompt.ReadPassword("Password: ");
        if (string.IsNullOrEmpty(first))
        {
            throw new PasswordFileEditException("Error: Empty password.");
        }
        var second = _prompt.ReadPassword("Reenter password: ");
        if (string.IsNullOrEmpty(second))
        {
            throw new PasswordFileEditException("Error: Empty password.");
        }
        if (first != second)
        {
            throw new PasswordFileEditException("Error: Passwords do not match.", exitCode: 2);
        }
        return first;
    }

    private static string NewLine(string username, string password, PasswordHashType hashType, int iterations)
    {
        Validate(username, password);
        return PasswordFileEdits.FormatLine(username, PasswordHash.Create(Encoding.UTF8.GetBytes(password), hashType, iterations));
    }

    private static void Validate(string username, string? password)
    {
        var problem = PasswordCommandLine.UsernameProblem(username) ?? (password is null ? null : PasswordCommandLine.PasswordProblem(password));
        if (problem is not null)
        {
            throw new PasswordFileEditException(problem);
        }
    }

    private static string ReadExisting(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PasswordFileEditException($"Error: Unable to open password file {path}. {Describe(e)}.", e);
        }
    }

    private static void Write(string path, string text, string failure)
    {
        try
        {
            AtomicFile.WriteAllText(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PasswordFileEditException($"{failure} {Describe(e)}.", e);
        }
    }

    /// <summary>The C library's words (strerror) for the common cases, so messages read as mosquitto_passwd's.</summary>
    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message.TrimEnd('.'),
    };
}

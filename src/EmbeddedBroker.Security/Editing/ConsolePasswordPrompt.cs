using System.Text;

namespace EmbeddedBroker.Security.Editing;

/// <summary>
/// Reads a password from the terminal without echo; when standard input is not a terminal (a pipe, a here-document),
/// reads one line of it, as mosquitto_passwd does.
/// </summary>
public sealed class ConsolePasswordPrompt : IPasswordPrompt
{
    public string? ReadPassword(string prompt)
    {
        Console.Out.Write(prompt);
        Console.Out.Flush();
        var password = Console.IsInputRedirected ? Console.In.ReadLine() : ReadHidden();
        Console.Out.WriteLine();
        return password;
    }

    private static string ReadHidden()
    {
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    return typed.ToString();
                case ConsoleKey.Backspace:
                    if (typed.Length > 0)
                    {
                        typed.Length--;
                    }
                    break;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        typed.Append(key.KeyChar);
                    }
                    break;
            }
        }
    }
}

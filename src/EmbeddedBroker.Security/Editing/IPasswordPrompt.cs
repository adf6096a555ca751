namespace EmbeddedBroker.Security.Editing;

/// <summary>Asks for a password without echoing it (mosquitto_passwd's get_password).</summary>
public interface IPasswordPrompt
{
    /// <summary>Shows <paramref name="prompt"/> and returns the line typed, or null at end of input.</summary>
    string? ReadPassword(string prompt);
}

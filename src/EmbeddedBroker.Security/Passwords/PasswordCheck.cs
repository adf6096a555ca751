namespace EmbeddedBroker.Security.Passwords;

/// <summary>The outcome of checking a user name and password against a <see cref="PasswordFile"/>.</summary>
public enum PasswordCheck
{
    Accepted,
    UnknownUser,
    WrongPassword,
}

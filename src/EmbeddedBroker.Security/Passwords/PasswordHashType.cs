namespace EmbeddedBroker.Security.Passwords;

/// <summary>The hash schemes of Mosquitto's password files; the value is the number between the first two '$'.</summary>
public enum PasswordHashType
{
    /// <summary>"$6$salt$hash": SHA-512 of the password followed by the salt (Mosquitto 1.6 and earlier).</summary>
    Sha512 = 6,

    /// <summary>"$7$iterations$salt$hash": PBKDF2-HMAC-SHA512 (Mosquitto 2.0's default, 101 iterations).</summary>
    Sha512Pbkdf2 = 7,
}

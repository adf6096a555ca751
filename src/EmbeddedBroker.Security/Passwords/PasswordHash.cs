using System.Globalization;
using System.Security.Cryptography;

namespace EmbeddedBroker.Security.Passwords;

/// <summary>
/// One hashed password as Mosquitto stores it after "user:": "$7$iterations$salt$hash" (PBKDF2-HMAC-SHA512) or
/// "$6$salt$hash" (SHA-512 of password then salt), salt and hash in standard Base64 with padding. Mosquitto 2.0 reads
/// only 12-byte salts and 64-byte hashes (src/security_default.c, unpwd__decode_passwords), and writes 12-byte salts and
/// 101 iterations (PW_DEFAULT_ITERATIONS), so this type requires and writes the same.
/// </summary>
public sealed class PasswordHash
{
    public const int SaltLength = 12;
    public const int HashLength = 64;
    public const int DefaultIterations = 101;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private PasswordHash(PasswordHashType type, int iterations, byte[] salt, byte[] hash)
    {
        Type = type;
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    public PasswordHashType Type { get; }

    /// <summary>PBKDF2 iterations; 1 for <see cref="PasswordHashType.Sha512"/>, which has none.</summary>
    public int Iterations { get; }

    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The stored digest. For <see cref="PasswordHashType.Sha512Pbkdf2"/> it is PBKDF2-HMAC-SHA512(password,
    /// salt, iterations): exactly SCRAM-SHA-512's SaltedPassword, which lets SCRAM run against Mosquitto's files.</summary>
    internal ReadOnlySpan<byte> Digest => _hash;

    /// <summary>Hashes <paramref name="password"/> (its bytes as the client sends them: UTF-8) with a new random salt.</summary>
    public static PasswordHash Create(ReadOnlySpan<byte> password, PasswordHashType type = PasswordHashType.Sha512Pbkdf2, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        return FromSalt(password, RandomNumberGenerator.GetBytes(SaltLength), type, iterations);
    }

    /// <summary>Hashes with a given salt: for known-answer tests and the dummy hash unknown users are checked against.</summary>
    internal static PasswordHash FromSalt(ReadOnlySpan<byte> password, byte[] salt, PasswordHashType type, int iterations)
    {
        var hash = new byte[HashLength];
        Compute(password, salt, type, iterations, hash);
        return new PasswordHash(type, type == PasswordHashType.Sha512 ? 1 : iterations, salt, hash);
    }

    /// <summary>
    /// Parses the text after "user:". On failure <paramref name="problem"/> says what is wrong, for a file:line message.
    /// </summary>
    public static bool TryParse(string text, out PasswordHash? hash, out string problem)
    {
        hash = null;
        var fields = text.Split('$');
        // "$7$101$salt$hash" splits into "", "7", "101", "salt", "hash"; "$6$salt$hash" into "", "6", "salt", "hash".
        if (fields.Length < 2 || fields[0].Length != 0)
        {
            problem = "the password is not hashed (a hash starts with $7$ or $6$)";
            return false;
        }

        PasswordHashType type;
        var iterations = 1;
        int saltField;
        switch (fields[1])
        {
            case "7" when fields.Length == 5:
                type = PasswordHashType.Sha512Pbkdf2;
                if (!int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
                {
                    problem = $"invalid iteration count '{fields[2]}' in the $7$ hash (expected a whole number of at least 1)";
                    return false;
                }
                saltField = 3;
                break;
            case "6" when fields.Length == 4:
                type = PasswordHashType.Sha512;
                saltField = 2;
                break;
            case "7" or "6":
                problem = $"the ${fields[1]}$ hash has {fields.Length - 1} '$'-separated fields instead of {(fields[1] == "7" ? 4 : 3)}";
                return false;
            default:
                problem = $"unknown hash type '${fields[1]}$' (supported: $7$ PBKDF2-SHA512 and $6$ SHA-512)";
                return false;
        }

        var salt = new byte[SaltLength];
        if (!Convert.TryFromBase64String(fields[saltField], salt, out var saltLength) || saltLength != SaltLength)
        {
            problem = $"the salt is not {SaltLength} bytes of Base64";
            return false;
        }

        var digest = new byte[HashLength];
        if (!Convert.TryFromBase64String(fields[saltField + 1], digest, out var digestLength) || digestLength != HashLength)
        {
            problem = $"the hash is not {HashLength} bytes of Base64";
            return false;
        }

        hash = new PasswordHash(type, iterations, salt, digest);
        problem = "";
        return true;
    }

    /// <summary>True when <paramref name="password"/> hashes to this hash; the comparison takes the same time wherever
    /// the first difference is (<see cref="CryptographicOperations.FixedTimeEquals"/>). A password holding a NUL byte
    /// never matches: no hashed password can hold one (mosquitto_passwd ends it there, the editor refuses it), and
    /// HMAC pads a key shorter than its block with zero bytes, so PBKDF2 ($7$) would take "secret\0" for "secret".</summary>
    public bool Verify(ReadOnlySpan<byte> password)
    {
        Span<byte> computed = stackalloc byte[HashLength];
        Compute(password, _salt, Type, Iterations, computed);
        var equal = CryptographicOperations.FixedTimeEquals(computed, _hash);
        CryptographicOperations.ZeroMemory(computed);
        return equal && !password.Contains((byte)0);
    }

    /// <summary>The file form: "$7$101$salt$hash" or "$6$salt$hash", byte for byte what mosquitto_passwd writes.</summary>
    public override string ToString() => Type == PasswordHashType.Sha512Pbkdf2
        ? string.Create(CultureInfo.InvariantCulture, $"$7${Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}")
        : $"$6${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}";

    private static void Compute(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, PasswordHashType type, int iterations, Span<byte> destination)
    {
        if (type == PasswordHashType.Sha512Pbkdf2)
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, destination, iterations, HashAlgorithmName.SHA512);
            return;
        }

        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        sha512.AppendData(password);
        sha512.AppendData(salt);
        sha512.GetHashAndReset(destination);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security.Passwords;

namespace EmbeddedBroker.Security.Authentication.Scram;

/// <summary>
/// The server side of SCRAM-SHA-512 (RFC 5802 with SHA-512, as RFC 7677 does with SHA-256) against a Mosquitto password
/// file: a "$7$" entry stores PBKDF2-HMAC-SHA512(password, salt, iterations), which is SCRAM's SaltedPassword, so the
/// client proves it knows the password without ever sending it, and the server proves it holds the file. An unknown
/// user (or a "$6$" entry, which is not PBKDF2) goes through the same steps with a made-up salt and always fails, so
/// the exchange does not tell which names exist. The framework's cryptography does every computation; proofs are
/// compared in constant time.
/// </summary>
internal sealed class ScramSha512Exchange
{
    public const string Method = "SCRAM-SHA-512";

    /// <summary>Salt and iterations shown for names that have no usable entry; random per process.</summary>
    private static readonly byte[] DecoyKey = RandomNumberGenerator.GetBytes(32);

    private readonly ScramMessages.ClientFirst _first;
    private readonly byte[] _saltedPassword;
    private readonly bool _userKnown;
    private readonly string _serverFirst;
    private readonly string _nonce;

    private ScramSha512Exchange(ScramMessages.ClientFirst first, PasswordHash? hash)
    {
        _first = first;
        _userKnown = hash is { Type: PasswordHashType.Sha512Pbkdf2 };
        var salt = _userKnown ? hash!.Salt.ToArray() : HMACSHA256.HashData(DecoyKey, Encoding.UTF8.GetBytes(first.Username))[..PasswordHash.SaltLength];
        var iterations = _userKnown ? hash!.Iterations : PasswordHash.DefaultIterations;
        _saltedPassword = _userKnown ? hash!.Digest.ToArray() : RandomNumberGenerator.GetBytes(PasswordHash.HashLength);
        _nonce = first.Nonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        _serverFirst = string.Create(CultureInfo.InvariantCulture, $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations}");
    }

    public string Username => _first.Username;

    public byte[] ServerFirst => Encoding.UTF8.GetBytes(_serverFirst);

    /// <summary>Reads client-first; null when it is not a SCRAM client-first-message this server accepts.</summary>
    public static ScramSha512Exchange? Start(PasswordFile? passwords, ReadOnlySpan<byte> clientFirst)
    {
        if (!ScramMessages.TryParseClientFirst(clientFirst, out var first))
            return null;
        PasswordHash? hash = null;
        passwords?.TryGetHash(first.Username, out hash);
        return new ScramSha512Exchange(first, hash);
    }

    /// <summary>Checks client-final. Success gives server-final ("v=ServerSignature") to send; failure a reason code.</summary>
    public (MqttReasonCode ReasonCode, byte[]? ServerFinal) Finish(ReadOnlySpan<byte> clientFinal)
    {
        if (!ScramMessages.TryParseClientFinal(clientFinal, out var final) || final.Nonce != _nonce ||
            !final.ChannelBinding.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(_first.Gs2Header)))
            return (MqttReasonCode.ProtocolError, null);

        var authMessage = Encoding.UTF8.GetBytes($"{_first.Bare},{_serverFirst},{final.WithoutProof}");
        var clientKey = HMACSHA512.HashData(_saltedPassword, "Client Key"u8);
        var storedKey = SHA512.HashData(clientKey);
        var clientSignature = HMACSHA512.HashData(storedKey, authMessage);
        var proofMatches = final.Proof.Length == clientSignature.Length &&
            CryptographicOperations.FixedTimeEquals(SHA512.HashData(Xor(final.Proof, clientSignature)), storedKey);
        if (!proofMatches || !_userKnown)
            return (MqttReasonCode.NotAuthorized, null);

        var serverKey = HMACSHA512.HashData(_saltedPassword, "Server Key"u8);
        var serverSignature = HMACSHA512.HashData(serverKey, authMessage);
        return (MqttReasonCode.Success, Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(serverSignature)));
    }

    private static byte[] Xor(byte[] a, byte[] b)
    {
        var result = new byte[a.Length];
        for (var i = 0; i < a.Length; i++)
            result[i] = (byte)(a[i] ^ b[i]);
        return result;
    }
}

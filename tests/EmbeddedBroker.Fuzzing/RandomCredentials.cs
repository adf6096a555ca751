using System.Text;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzzing;

/// <summary>One CONNECT with random credentials: its bytes and the version whose CONNACK the broker answers with.</summary>
public sealed record CredentialAttempt(string Kind, byte[] Connect, MqttProtocolVersion Version, bool StartsScram);

/// <summary>
/// CONNECTs whose user name, password and client id are random bytes, ill-formed UTF-8, empty, absent, huge (65,535
/// bytes) or one character away from a valid user's, in MQTT 3.1, 3.1.1 and 5.0 (some with SCRAM-SHA-512 enhanced
/// authentication and a random proof). None of them may be let in: the exact valid pair is never produced.
/// </summary>
public static class RandomCredentials
{
    public const string ScramMethod = "SCRAM-SHA-512";

    public static CredentialAttempt Next(Random random, string validUser, string validPassword)
    {
        ArgumentNullException.ThrowIfNull(random);
        var s = new SessionModel(random, MqttProtocolVersion.V311, "", new FuzzLimits());
        var version = random.Next(10) switch
        {
            0 => MqttProtocolVersion.V310,
            < 5 => MqttProtocolVersion.V311,
            _ => MqttProtocolVersion.V500,
        };
        var (userKind, user) = Field(s, validUser);
        var (passwordKind, password) = Field(s, validPassword);
        if (user is not null && password is not null && user.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(validUser))
            && password.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(validPassword)))
        {
            password = [.. password, (byte)'!']; // never the valid pair itself
        }

        var (clientKind, clientId) = ClientId(s);
        var scram = version == MqttProtocolVersion.V500 && s.Chance(0.05);
        var bytes = Connect(s, version, user, password, clientId, scram, validUser);
        return new CredentialAttempt($"MQTT {version}, user {userKind}, password {passwordKind}, client id {clientKind}{(scram ? ", SCRAM" : "")}",
            bytes, version == MqttProtocolVersion.V500 ? version : MqttProtocolVersion.V311, scram);
    }

    /// <summary>A user name or password: null (flag off), empty, near-valid, random text, random bytes, ill-formed, huge.</summary>
    private static (string Kind, byte[]? Value) Field(SessionModel s, string valid) => s.Random.Next(9) switch
    {
        0 => ("absent", null),
        1 => ("empty", []),
        2 => ("near-valid", Encoding.UTF8.GetBytes(NearValid(s, valid))),
        3 => ("the valid one", Encoding.UTF8.GetBytes(valid)),
        4 => ("random text", Encoding.UTF8.GetBytes(s.Level() + s.Random.Next())),
        5 => ("random bytes", s.RandomBytes(1, 64)),
        6 => ("ill-formed UTF-8", Utf8Faults.IllFormedText(s, valid)),
        7 => ("with U+0000", Utf8Faults.WithNul(s, valid)),
        _ => ("huge", s.Chance(0.5) ? s.RandomBytes(65_535, 65_535) : Encoding.ASCII.GetBytes(new string('a', 65_535))),
    };

    private static string NearValid(SessionModel s, string valid)
    {
        string[] variants =
        [
            valid.ToUpperInvariant(), char.ToUpperInvariant(valid[0]) + valid[1..], valid + " ", " " + valid, valid[..^1],
            valid + valid[^1], valid + "\u200B", "\u0430" + valid[1..], valid + "\n", valid.Normalize(NormalizationForm.FormD) + "\u0301",
        ];
        return s.Pick(variants);
    }

    private static (string Kind, byte[] Value) ClientId(SessionModel s) => s.Random.Next(6) switch
    {
        0 => ("empty", []),
        1 => ("random bytes", s.RandomBytes(1, 32)),
        2 => ("huge", Encoding.ASCII.GetBytes(new string('c', 65_535))),
        _ => ("ordinary", Encoding.UTF8.GetBytes("cred-" + s.Random.Next())),
    };

    private static byte[] Connect(SessionModel s, MqttProtocolVersion version, byte[]? user, byte[]? password, byte[] clientId, bool scram, string validUser)
    {
        var flags = (byte)((user is null ? 0 : 0x80) | (password is null ? 0 : 0x40) | 0x02);
        var body = new PacketBytes().String(version == MqttProtocolVersion.V310 ? "MQIsdp" : "MQTT").Byte((byte)version).Byte(flags).UInt16(30);
        if (version == MqttProtocolVersion.V500)
        {
            body.Properties(b =>
            {
                if (!scram)
                    return;
                // RFC 5802 client-first-message: GS2 header, then n=user,r=nonce (the user near-valid or valid, the nonce random).
                var name = s.Chance(0.5) ? validUser : NearValid(s, validUser);
                b.Byte(0x15).String(ScramMethod).Byte(0x16).LengthPrefixed(Encoding.UTF8.GetBytes($"n,,n={name},r={Convert.ToBase64String(s.RandomBytes(18, 18))}"));
            });
        }

        body.LengthPrefixed(clientId);
        if (user is not null)
            body.LengthPrefixed(user);
        if (password is not null)
            body.LengthPrefixed(password);
        return body.Packet(0x10);
    }
}

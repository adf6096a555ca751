using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace EmbeddedBroker.Security.Authentication.Scram;

/// <summary>
/// The SCRAM messages of RFC 5802 section 7 that a server reads: client-first ("n,,n=user,r=nonce") and client-final
/// ("c=biws,r=nonce,p=proof"). Channel binding is not offered, so only the "n" and "y" gs2 flags are accepted, and an
/// authorization identity ("a=") is refused.
/// </summary>
internal static class ScramMessages
{
    /// <summary>Parses client-first-message into its gs2 header, its bare part (kept for AuthMessage), user and nonce.</summary>
    public static bool TryParseClientFirst(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ClientFirst? message)
    {
        message = null;
        var text = Encoding.UTF8.GetString(data);
        var parts = text.Split(',');
        if (parts.Length < 4 || parts[0] is not ("n" or "y") || parts[1].Length != 0)
            return false; // "p=..." (channel binding) and "a=..." (authzid) are not offered
        var bare = text[(parts[0].Length + 1 + parts[1].Length + 1)..];
        if (!parts[2].StartsWith("n=", StringComparison.Ordinal) || !parts[3].StartsWith("r=", StringComparison.Ordinal) || parts[3].Length <= 2)
            return false;
        if (!TryUnescape(parts[2][2..], out var username))
            return false;
        message = new ClientFirst($"{parts[0]},,", bare, username, parts[3][2..]);
        return true;
    }

    /// <summary>Parses client-final-message; <paramref name="withoutProof"/> is the part AuthMessage covers.</summary>
    public static bool TryParseClientFinal(ReadOnlySpan<byte> data, [NotNullWhen(true)] out ClientFinal? message)
    {
        message = null;
        var text = Encoding.UTF8.GetString(data);
        var proofAt = text.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
            return false;
        var withoutProof = text[..proofAt];
        var parts = withoutProof.Split(',');
        if (parts.Length < 2 || !parts[0].StartsWith("c=", StringComparison.Ordinal) || !parts[1].StartsWith("r=", StringComparison.Ordinal))
            return false;
        try
        {
            message = new ClientFinal(Convert.FromBase64String(parts[0][2..]), parts[1][2..], withoutProof, Convert.FromBase64String(text[(proofAt + 3)..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>saslname (RFC 5802 5.1): "=2C" is ',' and "=3D" is '='; any other '=' is malformed.</summary>
    private static bool TryUnescape(string saslName, [NotNullWhen(true)] out string? username)
    {
        username = null;
        var result = new StringBuilder(saslName.Length);
        for (var i = 0; i < saslName.Length; i++)
        {
            if (saslName[i] != '=')
            {
                result.Append(saslName[i]);
                continue;
            }

            var escape = i + 2 < saslName.Length ? saslName.Substring(i + 1, 2) : "";
            if (escape is not ("2C" or "3D"))
                return false;
            result.Append(escape == "2C" ? ',' : '=');
            i += 2;
        }

        username = result.ToString();
        return username.Length > 0;
    }

    public sealed record ClientFirst(string Gs2Header, string Bare, string Username, string Nonce);

    public sealed record ClientFinal(byte[] ChannelBinding, string Nonce, string WithoutProof, byte[] Proof);
}

using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace EmbeddedBroker.Security.Authentication;

/// <summary>
/// The user name Mosquitto takes from a client certificate: with use_identity_as_username the value of the subject's
/// first CN (refused when it holds a NUL), with use_subject_as_username the subject as OpenSSL prints it with
/// XN_FLAG_RFC2253 (last RDN first, ',' between, RFC 2253 escapes, bytes above 0x7F as \XX).
/// </summary>
internal static class CertificateUsername
{
    private const string CommonNameOid = "2.5.4.3";

    // OpenSSL's short names for the attributes certificates use.
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN", ["2.5.4.6"] = "C", ["2.5.4.7"] = "L", ["2.5.4.8"] = "ST", ["2.5.4.9"] = "street",
        ["2.5.4.10"] = "O", ["2.5.4.11"] = "OU", ["2.5.4.12"] = "title", ["2.5.4.4"] = "SN", ["2.5.4.42"] = "GN",
        ["2.5.4.5"] = "serialNumber", ["1.2.840.113549.1.9.1"] = "emailAddress",
        ["0.9.2342.19200300.100.1.25"] = "DC", ["0.9.2342.19200300.100.1.1"] = "UID",
    };

    public static string? CommonName(X509Certificate2 certificate)
    {
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames(reversed: false)) // encoding order, as OpenSSL indexes
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            {
                var value = rdn.GetSingleElementValue();
                return value is null || value.Contains('\0', StringComparison.Ordinal) ? null : value;
            }
        }
        return null;
    }

    /// <summary>Null for a subject with a multi-valued RDN ("CN=a+UID=b"), which common CAs do not issue and whose
    /// element order OpenSSL keeps but .NET does not expose: such a client is refused rather than named wrongly.</summary>
    public static string? Subject(X509Certificate2 certificate)
    {
        var rdns = certificate.SubjectName.EnumerateRelativeDistinguishedNames(reversed: true).ToList(); // last RDN first, as RFC 2253 prints
        return rdns.Any(rdn => rdn.HasMultipleElements)
            ? null
            : string.Join(',', rdns.Select(rdn => $"{ShortName(rdn.GetSingleElementType().Value!)}={Escape(rdn.GetSingleElementValue() ?? "")}"));
    }

    private static string ShortName(string oid) => ShortNames.TryGetValue(oid, out var name) ? name : oid;

    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        var bytes = Encoding.UTF8.GetBytes(value);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var special = b is (byte)',' or (byte)'+' or (byte)'"' or (byte)'\\' or (byte)'<' or (byte)'>' or (byte)';'
                || (i == 0 && b is (byte)'#' or (byte)' ')
                || (i == bytes.Length - 1 && b == (byte)' ');
            if (b > 0x7F || b < 0x20)
            {
                escaped.Append('\\').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                if (special)
                {
                    escaped.Append('\\');
                }
                escaped.Append((char)b);
            }
        }
        return escaped.ToString();
    }
}

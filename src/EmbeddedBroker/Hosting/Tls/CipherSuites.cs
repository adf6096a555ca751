using System.Net.Security;

namespace EmbeddedBroker.Hosting.Tls;

/// <summary>
/// Mosquitto's <c>ciphers</c> (the TLS 1.2 suites, in OpenSSL's names) as a <see cref="CipherSuitesPolicy"/>. OpenSSL's
/// cipher-list language (HIGH, !aNULL, @STRENGTH, ...) is not reimplemented: each entry must name one suite, by its
/// OpenSSL name (ECDHE-RSA-AES128-GCM-SHA256) or its IANA name (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256). TLS 1.3's own
/// suites stay allowed, as Mosquitto keeps them apart (ciphers_tls1.3).
/// </summary>
internal static class CipherSuites
{
    private static readonly TlsCipherSuite[] Tls13Suites =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    /// <exception cref="TlsFileException">An entry names no suite (with the fix).</exception>
    public static CipherSuitesPolicy? Parse(string? ciphers, string setting)
    {
        if (string.IsNullOrWhiteSpace(ciphers))
        {
            return null;
        }

        if (OperatingSystem.IsWindows())
        {
            throw new TlsFileException($"{setting}: choosing cipher suites is not supported on Windows (Schannel decides); remove it");
        }

        var suites = new List<TlsCipherSuite>();
        foreach (var entry in ciphers.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            suites.Add(Suite(entry) ?? throw new TlsFileException(
                $"{setting}: '{entry}' is not the name of a TLS 1.2 cipher suite (OpenSSL's cipher-list keywords such as HIGH or !aNULL are not supported); list the suites one by one, e.g. ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384 (`openssl ciphers -s -tls1_2 'YOUR LIST'` prints them)"));
        }

        return new CipherSuitesPolicy(suites.Concat(Tls13Suites).Distinct());
    }

    /// <summary>The suite an IANA or OpenSSL name stands for, or null.</summary>
    public static TlsCipherSuite? Suite(string name) =>
        name.StartsWith("TLS_", StringComparison.Ordinal) && Enum.TryParse<TlsCipherSuite>(name, out var iana) ? iana
        : IanaName(name) is { } converted && Enum.TryParse<TlsCipherSuite>(converted, out var suite) ? suite
        : null;

    /// <summary>
    /// OpenSSL's name of a TLS 1.2 suite in IANA's spelling: [KX-[AUTH-]]CIPHER[-MODE]-MAC, where no key exchange means
    /// RSA ("AES128-GCM-SHA256" is TLS_RSA_WITH_AES_128_GCM_SHA256), a cipher without GCM/CCM is CBC, and ChaCha20-Poly1305
    /// carries SHA256. Null when it does not have that shape.
    /// </summary>
    internal static string? IanaName(string openSslName)
    {
        var words = new Queue<string>(openSslName.ToUpperInvariant().Split('-'));
        var exchange = "RSA";
        if (words.Count > 0 && words.Peek() is "ECDHE" or "DHE" or "EDH")
        {
            var first = words.Dequeue();
            var kx = first == "EDH" ? "DHE" : first;
            var auth = words.Count > 0 && words.Peek() is "RSA" or "ECDSA" ? words.Dequeue() : "RSA"; // DHE-AES... is DHE-RSA
            exchange = $"{kx}_{auth}";
        }

        if (words.Count == 0)
        {
            return null;
        }

        var cipher = words.Dequeue() switch
        {
            "AES128" => "AES_128",
            "AES256" => "AES_256",
            "CHACHA20" => "CHACHA20",
            "CAMELLIA128" => "CAMELLIA_128",
            "CAMELLIA256" => "CAMELLIA_256",
            "ARIA128" => "ARIA_128",
            "ARIA256" => "ARIA_256",
            _ => null,
        };
        if (cipher is null)
        {
            return null;
        }

        if (cipher == "CHACHA20")
        {
            return words.Count == 1 && words.Dequeue() == "POLY1305" ? $"TLS_{exchange}_WITH_CHACHA20_POLY1305_SHA256" : null;
        }

        var mode = words.Count > 0 && words.Peek() is "GCM" or "CCM" or "CCM8" ? words.Dequeue().Replace("CCM8", "CCM_8", StringComparison.Ordinal) : "CBC";
        var mac = words.Count > 0 ? words.Dequeue() : mode is "CCM" or "CCM_8" ? "" : null;
        if (mac is null || words.Count > 0)
        {
            return null;
        }

        return mac.Length == 0 ? $"TLS_{exchange}_WITH_{cipher}_{mode}" : $"TLS_{exchange}_WITH_{cipher}_{mode}_{mac}";
    }
}

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// A listener's certificate-based TLS options. Mosquitto turns TLS on only when both certfile and keyfile are given and
/// otherwise listens in plain text without a word, ignoring cafile, require_certificate and the rest; here such a
/// listener is refused, since a plain-text port the file meant to encrypt is worse than not starting.
/// </summary>
internal sealed class ConfTls
{
    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    public string? CaFile { get; set; }

    public string? CaPath { get; set; }

    public bool? RequireCertificate { get; set; }

    public bool? UseIdentityAsUsername { get; set; }

    public bool? UseSubjectAsUsername { get; set; }

    public string? Version { get; set; }

    public string? Ciphers { get; set; }

    /// <summary>The first line of a TLS option that needs certfile and keyfile, for the message when they are missing.</summary>
    public ConfLine? FirstLine { get; set; }

    public ConfLine? CertFileLine { get; set; }

    public ConfLine? KeyFileLine { get; set; }

    public ConfLine? CaFileLine { get; set; }

    public ConfLine? CaPathLine { get; set; }

    public ConfLine? CiphersLine { get; set; }

    public bool UsesCertificateUsername => UseIdentityAsUsername == true || UseSubjectAsUsername == true;

    public void Validate(string listener)
    {
        if (CertFile is not null && KeyFile is null)
        {
            throw CertFileLine!.Error($"{listener} has a certfile but no keyfile (Mosquitto would then listen without TLS)",
                "add `keyfile PATH` after the listener line, or remove certfile");
        }

        if (KeyFile is not null && CertFile is null)
        {
            throw KeyFileLine!.Error($"{listener} has a keyfile but no certfile (Mosquitto would then listen without TLS)",
                "add `certfile PATH` after the listener line, or remove keyfile");
        }

        if (CertFile is null && FirstLine is not null)
        {
            throw FirstLine.Error($"{listener} has no certfile and keyfile, so it is not a TLS listener and this option would do nothing",
                "add certfile and keyfile to that listener, or remove the line");
        }
    }

    /// <summary>Writes nothing for a plain listener (what it may carry are switches turned off), so that the presence
    /// of Tls:CertFile is what makes a TLS listener.</summary>
    public void WriteTo(ConfValues values, string prefix)
    {
        if (CertFile is null)
        {
            return;
        }

        values.SetIfPresent($"{prefix}:CertFile", CertFile);
        values.SetIfPresent($"{prefix}:KeyFile", KeyFile);
        values.SetIfPresent($"{prefix}:CaFile", CaFile);
        values.SetIfPresent($"{prefix}:CaPath", CaPath);
        values.SetIfPresent($"{prefix}:RequireCertificate", RequireCertificate);
        values.SetIfPresent($"{prefix}:UseIdentityAsUsername", UseIdentityAsUsername);
        values.SetIfPresent($"{prefix}:UseSubjectAsUsername", UseSubjectAsUsername);
        values.SetIfPresent($"{prefix}:Version", Version);
        values.SetIfPresent($"{prefix}:Ciphers", Ciphers);
        values.SetOrigin($"{prefix}:CertFile", CertFileLine);
        values.SetOrigin($"{prefix}:KeyFile", KeyFileLine);
        values.SetOrigin($"{prefix}:CaFile", CaFileLine);
        values.SetOrigin($"{prefix}:CaPath", CaPathLine);
        values.SetOrigin($"{prefix}:Ciphers", CiphersLine);
    }
}

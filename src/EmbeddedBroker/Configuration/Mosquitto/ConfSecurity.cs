namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// allow_anonymous, password_file and acl_file of one scope: the whole broker, or one listener when
/// per_listener_settings is true. Written as the security library's <c>ListenerSecurityOptions</c>
/// (src/EmbeddedBroker.Security/SecurityOptions.cs).
/// </summary>
internal sealed class ConfSecurity
{
    public bool? AllowAnonymous { get; set; }

    public ConfLine? AllowAnonymousLine { get; set; }

    public string? PasswordFile { get; set; }

    public ConfLine? PasswordFileLine { get; set; }

    public string? AclFile { get; set; }

    public ConfLine? AclFileLine { get; set; }

    /// <summary>Mosquitto 2.0: once listeners are configured, allow_anonymous defaults to false; without any listener
    /// (local-only mode) anonymous clients are let in whatever the file says.</summary>
    public bool EffectiveAllowAnonymous(bool localOnly) => localOnly || (AllowAnonymous ?? false);

    public void WriteTo(ConfValues values, string prefix, bool localOnly, ConfTls? tls = null)
    {
        values.Set($"{prefix}:AllowAnonymous", EffectiveAllowAnonymous(localOnly));
        values.SetIfPresent($"{prefix}:PasswordFile", PasswordFile);
        values.SetIfPresent($"{prefix}:AclFile", AclFile);
        values.SetOrigin($"{prefix}:PasswordFile", PasswordFileLine);
        values.SetOrigin($"{prefix}:AclFile", AclFileLine);
        if (tls is not null)
        {
            values.SetIfPresent($"{prefix}:UseIdentityAsUsername", tls.UseIdentityAsUsername);
            values.SetIfPresent($"{prefix}:UseSubjectAsUsername", tls.UseSubjectAsUsername);
        }
    }
}

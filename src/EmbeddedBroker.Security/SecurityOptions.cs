using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Authentication;

namespace EmbeddedBroker.Security;

/// <summary>
/// Mosquitto's security settings for one listener (or for all of them): what mosquitto.conf sets with
/// allow_anonymous, password_file, acl_file, use_identity_as_username and use_subject_as_username.
/// </summary>
public sealed class ListenerSecurityOptions
{
    /// <summary>Clients without a user name are accepted. Mosquitto 2.0's default is false once listeners are configured.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>A mosquitto_passwd file. Without one, clients are accepted only when <see cref="AllowAnonymous"/> is
    /// true (with whatever user name they present), as Mosquitto does.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>A Mosquitto ACL file. Without one, every topic may be read and written ($SYS writes excepted).</summary>
    public string? AclFile { get; set; }

    /// <summary>TLS listeners only: the client certificate's first CN is the user name; password and password file are
    /// not consulted; a client without a certificate (or without a CN) is refused with Bad user name or password.</summary>
    public bool UseIdentityAsUsername { get; set; }

    /// <summary>TLS listeners only: the certificate's subject in RFC 2253 form is the user name (as OpenSSL prints it).</summary>
    public bool UseSubjectAsUsername { get; set; }

    /// <summary>A copy, so that what was loaded does not change when the caller later edits its options object.</summary>
    internal ListenerSecurityOptions Snapshot() => (ListenerSecurityOptions)MemberwiseClone();
}

/// <summary>
/// Security for every listener. With mosquitto.conf's per_listener_settings false, set <see cref="Default"/> only; with
/// it true, add one entry per listener name (MqttConnectionContext.Listener) — a listener without an entry uses
/// <see cref="Default"/>.
/// </summary>
public sealed class SecurityOptions
{
    public ListenerSecurityOptions Default { get; set; } = new();

    public Dictionary<string, ListenerSecurityOptions> Listeners { get; } = new(StringComparer.Ordinal);

    public FailedLoginOptions FailedLogins { get; set; } = new();

    public AclOptions Acl { get; set; } = new();

    public ListenerSecurityOptions For(string listener) => Listeners.TryGetValue(listener, out var options) ? options : Default;
}

/// <summary>The outcome of a reload: on failure the previous files stay in force and <see cref="Error"/> says why
/// (file:line and the fix).</summary>
public sealed record SecurityReloadResult(bool Succeeded, string? Error)
{
    public static SecurityReloadResult Success { get; } = new(true, null);
}

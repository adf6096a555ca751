using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Hosting.Security;

/// <summary>
/// Section "Security" (docs/security.md): Mosquitto's allow_anonymous, password_file, acl_file and certificate user
/// names, for all listeners or per listener. The hooks of src/EmbeddedBroker.Security are added only when something
/// is to be checked, so the embedded default (anonymous, no files) costs nothing per connection or message.
/// </summary>
internal static class SecuritySetup
{
    public const string SectionName = "Security";

    public static SecurityOptions Add(IServiceCollection services, IConfiguration configuration, ListenerOptions listeners)
    {
        var options = new SecurityOptions();
        configuration.GetSection(SectionName).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        ApplyCertificateUsernames(options, listeners);
        if (NeedsHooks(options))
        {
            services.AddMosquittoSecurity(options);
        }
        else
        {
            services.AddSingleton(options);
        }

        // Early, like StartupChecks: bad password or ACL files stop start-up before a listener opens.
        services.AddHostedService<SecurityStartup>();
        return options;
    }

    /// <summary>Whether anything is to be checked: a listener refusing anonymous clients, a file, or certificate names.</summary>
    public static bool NeedsHooks(SecurityOptions options) =>
        options.Listeners.Values.Append(options.Default).Any(l =>
            !l.AllowAnonymous || l.PasswordFile is not null || l.AclFile is not null || l.UseIdentityAsUsername || l.UseSubjectAsUsername);

    /// <summary>
    /// An endpoint's Tls:UseIdentityAsUsername / UseSubjectAsUsername (a JSON configuration may set them there only)
    /// takes effect through that listener's own security entry, created as a copy of Default when missing (the security
    /// library uses a listener's entry instead of Default). A mosquitto.conf writes both already.
    /// </summary>
    private static void ApplyCertificateUsernames(SecurityOptions options, ListenerOptions listeners)
    {
        foreach (var endpoint in listeners.Endpoints.Where(e => e.Tls is { UseIdentityAsUsername: true } or { UseSubjectAsUsername: true }))
        {
            if (!options.Listeners.TryGetValue(endpoint.EffectiveName, out var own))
            {
                own = new ListenerSecurityOptions
                {
                    AllowAnonymous = options.Default.AllowAnonymous,
                    PasswordFile = options.Default.PasswordFile,
                    AclFile = options.Default.AclFile,
                };
                options.Listeners[endpoint.EffectiveName] = own;
            }

            own.UseIdentityAsUsername |= endpoint.Tls!.UseIdentityAsUsername;
            own.UseSubjectAsUsername |= endpoint.Tls.UseSubjectAsUsername;
        }
    }
}

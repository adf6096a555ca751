using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Security;
using Microsoft.Extensions.Configuration;
using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
            NameTheSetting<PasswordFileAuthenticator>(services, ":PasswordFile");
            NameTheSetting<AclAuthorizer>(services, ":AclFile");
        }
        else
        {
            services.AddSingleton(options);
        }

        return options;
    }

    /// <summary>
    /// The hooks read their files when first resolved, which is when the host builds its services, before any listener
    /// opens. A file that cannot be used then stops start-up with one line (<see cref="StartupException"/>): a bad line
    /// as the file's own file:line; a file that cannot be read prefixed with the setting that names it
    /// ("mosquitto.conf:4: password_file: ...").
    /// </summary>
    private static void NameTheSetting<T>(IServiceCollection services, string settingSuffix)
        where T : class
    {
        var factory = services.Last(d => d.ServiceType == typeof(T)).ImplementationFactory!;
        services.Replace(ServiceDescriptor.Singleton(typeof(T), provider =>
        {
            try
            {
                return factory(provider);
            }
            catch (SecurityFileException ex)
            {
                var setting = ex.LineNumber is null
                    ? provider.GetRequiredService<SettingOrigins>().DescribeValue(provider.GetRequiredService<IConfiguration>().AsEnumerable(), settingSuffix, ex.FilePath)
                    : null;
                throw new StartupException(setting is null ? ex.Message : $"{setting}: {ex.Message}", ex);
            }
        }));
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

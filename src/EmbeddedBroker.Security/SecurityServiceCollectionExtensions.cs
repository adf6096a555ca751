using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Security;

/// <summary>Registers the password file authenticator and the ACL authorizer as the broker's hooks.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PasswordFileAuthenticator"/> (as <see cref="IConnectAuthenticator"/>) and <see cref="AclAuthorizer"/>
    /// (as the publish, subscribe and delivery authorizers), singletons over <paramref name="options"/>. Their files are
    /// read when they are first resolved: resolve them at start-up so that a bad file stops it.
    /// </summary>
    public static IServiceCollection AddMosquittoSecurity(this IServiceCollection services, SecurityOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new PasswordFileAuthenticator(options,
            sp.GetService<Microsoft.Extensions.Logging.ILogger<PasswordFileAuthenticator>>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IConnectAuthenticator>(sp => sp.GetRequiredService<PasswordFileAuthenticator>());
        services.AddSingleton<IEnhancedAuthenticator>(sp => sp.GetRequiredService<PasswordFileAuthenticator>());
        services.AddSingleton(sp => new AclAuthorizer(options, sp.GetService<Microsoft.Extensions.Logging.ILogger<AclAuthorizer>>()));
        services.AddSingleton<IPublishAuthorizer>(sp => sp.GetRequiredService<AclAuthorizer>());
        services.AddSingleton<ISubscribeAuthorizer>(sp => sp.GetRequiredService<AclAuthorizer>());
        services.AddSingleton<IDeliveryAuthorizer>(sp => sp.GetRequiredService<AclAuthorizer>());
        return services;
    }
}

using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting.Admission;

public static class AdmissionServiceCollectionExtensions
{
    /// <summary>
    /// Puts <see cref="AdmittingSocketTransportFactory"/> in front of Kestrel's socket transport. Kestrel binds each
    /// endpoint with the last registered transport that can bind it, so this must come after the web host's defaults.
    /// </summary>
    public static IServiceCollection AddConnectionAdmission(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<ConnectionAdmissionOptions>, ConnectionAdmissionOptionsValidator>();
        services.AddOptions<ConnectionAdmissionOptions>()
            .Bind(configuration.GetSection(ConnectionAdmissionOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<ConnectionAdmission>();
        // Kestrel's socket transport settings (NoDelay, Backlog, UnsafePreferInlineScheduling, ...) from "Kestrel:Sockets".
        services.Configure<SocketTransportOptions>(configuration.GetSection("Kestrel:Sockets"));
        services.AddSingleton<IConnectionListenerFactory, AdmittingSocketTransportFactory>();
        return services;
    }
}

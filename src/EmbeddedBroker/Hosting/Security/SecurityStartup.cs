using EmbeddedBroker.Security;
using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EmbeddedBroker.Hosting.Security;

/// <summary>
/// Reads the password and ACL files before any service starts (IHostedLifecycleService.StartingAsync), so that a
/// missing file or a bad line stops start-up with one line: the file's own file:line for a bad line, the setting
/// that names it ("mosquitto.conf:4: password_file: ...") for a file that cannot be read.
/// </summary>
internal sealed class SecurityStartup(IServiceProvider services, SettingOrigins origins, IConfiguration configuration) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Load<PasswordFileAuthenticator>(":PasswordFile");
        Load<AclAuthorizer>(":AclFile");
        return Task.CompletedTask;
    }

    /// <summary>Resolves the hook (its constructor reads its files) when it is registered.</summary>
    private void Load<T>(string settingSuffix)
    {
        try
        {
            services.GetService<T>();
        }
        catch (SecurityFileException ex) when (ex.LineNumber is null
            && origins.DescribeValue(configuration.AsEnumerable(), settingSuffix, ex.FilePath) is { } setting)
        {
            throw new StartupException($"{setting}: {ex.Message}", ex);
        }
        catch (SecurityFileException ex)
        {
            throw new StartupException(ex.Message, ex);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

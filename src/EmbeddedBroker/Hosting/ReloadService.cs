using System.Runtime.InteropServices;
using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Security;
using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// SIGHUP, as for Mosquitto, and a change of any of the files (watched, then read once they have been quiet for a
/// moment, since editors and `passwd` write in several steps) reload the password files, the ACL files and the TLS
/// certificates without dropping a connection: the security hooks and the TLS listeners each swap in what they read,
/// all or nothing, and keep what is in force (with one line in the log) when a file is bad. Withdrawn ACL rights apply
/// from each client's next packet or delivery; new handshakes use the new certificate.
/// </summary>
internal sealed class ReloadService(
    IServiceProvider services,
    SecurityOptions security,
    IOptions<ListenerOptions> listeners,
    IOptions<ReloadOptions> reload,
    ILogger<ReloadService> logger) : IHostedService, IDisposable
{
    private readonly Lock reloading = new();
    private readonly List<FileSystemWatcher> watchers = [];
    private PosixSignalRegistration? hangUp;
    private ITimer? settle;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
            {
                signal.Cancel = true; // SIGHUP would otherwise end the process
                ThreadPool.UnsafeQueueUserWorkItem(_ => Reload("SIGHUP"), null);
            });
        }

        if (reload.Value.WatchFiles)
        {
            settle = TimeProvider.System.CreateTimer(_ => Reload("a change of the files"), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Watch(WatchedFiles());
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Reads every file again (also called by tests). Serialized: a second trigger waits for the first.</summary>
    public void Reload(string trigger)
    {
        lock (reloading)
        {
            logger.LogInformation("Reloading the password, ACL and TLS files ({Trigger})", trigger);
            services.GetService<PasswordFileAuthenticator>()?.Reload();
            services.GetService<AclAuthorizer>()?.Reload();
            foreach (var endpoint in services.GetRequiredService<TlsEndpoints>().All)
            {
                endpoint.Reload();
            }
        }
    }

    public void Dispose()
    {
        hangUp?.Dispose();
        hangUp = null;
        settle?.Dispose();
        foreach (var watcher in watchers)
        {
            watcher.Dispose();
        }

        watchers.Clear();
    }

    /// <summary>Every file and CA folder a reload reads, as full paths.</summary>
    private List<string> WatchedFiles()
    {
        var files = new List<string>();
        foreach (var listener in security.Listeners.Values.Append(security.Default))
        {
            files.AddRange(new[] { listener.PasswordFile, listener.AclFile }.OfType<string>());
        }

        foreach (var tls in listeners.Value.Endpoints.Select(e => e.Tls).OfType<EndpointTlsOptions>().Where(t => t.CertFile is { Length: > 0 }))
        {
            files.AddRange(new[] { tls.CertFile, tls.KeyFile, tls.CaFile, tls.CaPath }.Where(f => !string.IsNullOrEmpty(f))!);
        }

        return [.. files.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)];
    }

    private void Watch(List<string> paths)
    {
        // One watcher per folder; a CA folder (capath) is watched as a whole, a file through its folder by its name.
        var byFolder = paths.GroupBy(p => Directory.Exists(p) ? p : Path.GetDirectoryName(p)!, StringComparer.Ordinal);
        foreach (var folder in byFolder.Where(g => Directory.Exists(g.Key)))
        {
            var names = folder.Where(p => !Directory.Exists(p)).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var wholeFolder = folder.Any(Directory.Exists);
            var watcher = new FileSystemWatcher(folder.Key)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            FileSystemEventHandler changed = (_, e) =>
            {
                if (wholeFolder || names.Contains(e.Name ?? "") || (e is RenamedEventArgs renamed && names.Contains(renamed.OldName ?? "")))
                {
                    settle?.Change(reload.Value.SettleTime, Timeout.InfiniteTimeSpan);
                }
            };
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (sender, e) => changed(sender, e);
            watcher.Error += (_, _) => settle?.Change(reload.Value.SettleTime, Timeout.InfiniteTimeSpan); // events lost: read everything
            watcher.EnableRaisingEvents = true;
            watchers.Add(watcher);
        }
    }
}

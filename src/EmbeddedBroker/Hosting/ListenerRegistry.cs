using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EmbeddedBroker.Hosting;

/// <summary>Remembers the Kestrel endpoints we configured, so the bound addresses (port 0 included) can be announced after start.</summary>
internal sealed class ListenerRegistry
{
    private readonly List<(string Protocol, ListenOptions Options)> listeners = [];

    public void Add(string protocol, ListenOptions options)
    {
        lock (listeners)
        {
            listeners.Add((protocol, options));
        }
    }

    public IReadOnlyList<(string Protocol, string EndPoint)> Snapshot()
    {
        lock (listeners)
        {
            return listeners.Select(l => (l.Protocol, l.Options.EndPoint.ToString() ?? "?")).ToList();
        }
    }
}

using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EmbeddedBroker.Hosting;

/// <summary>Remembers the Kestrel endpoints we configured, so the bound addresses (port 0 included) can be announced after start.</summary>
internal sealed class ListenerRegistry
{
    private readonly List<(string Protocol, ListenOptions Options, string Name)> listeners = [];

    /// <param name="name">The listener's configured name (per-listener security), shown beside its address.</param>
    public void Add(string protocol, ListenOptions options, string name)
    {
        lock (listeners)
        {
            listeners.Add((protocol, options, name));
        }
    }

    public IReadOnlyList<(string Protocol, string EndPoint, string Name)> Snapshot()
    {
        lock (listeners)
        {
            return listeners.Select(l => (l.Protocol, l.Options.EndPoint.ToString() ?? "?", l.Name)).ToList();
        }
    }
}

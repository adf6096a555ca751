using EmbeddedBroker.Hosting.Tls;

namespace EmbeddedBroker.Hosting.Endpoints;

/// <summary>Every TLS listener bound, for a reload (SIGHUP, or a change of their files).</summary>
internal sealed class TlsEndpoints
{
    private readonly List<TlsEndpoint> endpoints = [];

    public IReadOnlyList<TlsEndpoint> All
    {
        get
        {
            lock (endpoints)
            {
                return [.. endpoints];
            }
        }
    }

    public TlsEndpoint Add(TlsEndpoint endpoint)
    {
        lock (endpoints)
        {
            endpoints.Add(endpoint);
        }

        return endpoint;
    }
}

using System.Net;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Broker.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Hosting.Endpoints;

/// <summary>
/// Mosquitto's max_connections (per listener) and a limit of connections per remote address over all listeners, as
/// Kestrel connection middleware placed before TLS: a connection over a limit is closed at once, before its handshake
/// or its CONNECT costs anything. Counts only connections open now, so the per-address table is bounded by the
/// connections themselves. Refusals are counted and logged at most once per interval.
/// </summary>
internal sealed class ConnectionLimits(ListenerOptions options, ILogger<ConnectionLimits> logger)
{
    private readonly Dictionary<IPAddress, int> perAddress = [];
    private readonly LogThrottle refusals = new(TimeSpan.FromSeconds(10));
    private long refused;

    /// <summary>Connections closed at once because a limit was reached.</summary>
    public long Refused => Interlocked.Read(ref refused);

    /// <summary>The middleware for one listener; <paramref name="maxConnections"/> -1 = no limit of its own. Null when
    /// no limit applies at all (nothing is added to the listener's pipeline).</summary>
    public Func<ConnectionDelegate, ConnectionDelegate>? For(string listener, int maxConnections)
    {
        if (maxConnections < 0 && options.MaxConnectionsPerAddress <= 0)
        {
            return null;
        }

        var open = new ListenerCount();
        return next => async connection =>
        {
            var address = (connection.RemoteEndPoint as IPEndPoint) is { } remote ? MqttConnectionHandler.Unmapped(remote).Address : null;
            if (!TryEnter(open, maxConnections, address, listener))
            {
                return; // Kestrel closes the socket: a refused client sees the connection end, as with Mosquitto.
            }

            try
            {
                await next(connection);
            }
            finally
            {
                Leave(open, maxConnections, address);
            }
        };
    }

    private bool TryEnter(ListenerCount open, int maxConnections, IPAddress? address, string listener)
    {
        if (maxConnections >= 0 && Interlocked.Increment(ref open.Value) > maxConnections)
        {
            Interlocked.Decrement(ref open.Value);
            Refuse(address, listener, $"the listener's {maxConnections} connections are in use (max_connections)");
            return false;
        }

        if (TryEnterAddress(address))
        {
            return true;
        }

        if (maxConnections >= 0)
        {
            Interlocked.Decrement(ref open.Value);
        }

        Refuse(address, listener, $"this address already has {options.MaxConnectionsPerAddress} connections open (Listeners:MaxConnectionsPerAddress)");
        return false;
    }

    private bool TryEnterAddress(IPAddress? address)
    {
        var limit = options.MaxConnectionsPerAddress;
        if (limit <= 0 || address is null)
        {
            return true;
        }

        lock (perAddress)
        {
            perAddress.TryGetValue(address, out var count);
            if (count >= limit)
            {
                return false;
            }

            perAddress[address] = count + 1;
            return true;
        }
    }

    private void Leave(ListenerCount open, int maxConnections, IPAddress? address)
    {
        if (maxConnections >= 0)
        {
            Interlocked.Decrement(ref open.Value);
        }

        if (options.MaxConnectionsPerAddress <= 0 || address is null)
        {
            return;
        }

        lock (perAddress)
        {
            if (perAddress.TryGetValue(address, out var count))
            {
                if (count <= 1)
                {
                    perAddress.Remove(address);
                }
                else
                {
                    perAddress[address] = count - 1;
                }
            }
        }
    }

    private void Refuse(IPAddress? address, string listener, string reason)
    {
        Interlocked.Increment(ref refused);
        if (refusals.TryEnter(out var suppressed))
        {
            logger.LogWarning("Connection from {Address} to {Listener} closed: {Reason} ({Suppressed} more refused since the last line)",
                address?.ToString() ?? "unknown", listener, reason, suppressed);
        }
    }

    private sealed class ListenerCount
    {
        public int Value;
    }
}

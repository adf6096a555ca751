namespace EmbeddedBroker.Hosting.Admission;

/// <summary>
/// Section "Connections": how many sockets the listeners accept at once, all listeners together (MQTT, TLS,
/// WebSocket and HTTP), and from one address. Checked when a socket is accepted, before anything is allocated for it.
/// </summary>
public sealed class ConnectionAdmissionOptions
{
    public const string SectionName = "Connections";

    /// <summary>
    /// Connections open at once over all listeners; -1 (default) = as many as the open-file limit allows after
    /// <see cref="ReservedFileDescriptors"/>. A configured value above what the limit allows is lowered to it, with a
    /// start-up warning: past the limit the runtime itself fails (it needs descriptors to start threads).
    /// </summary>
    public int MaxConnections { get; set; } = -1;

    /// <summary>Descriptors kept for everything that is not a client socket: the recorder's files, the store, logs,
    /// assemblies the runtime maps later, new threads, bridges and the accept that refuses a connection.</summary>
    public int ReservedFileDescriptors { get; set; } = 128;

    /// <summary>Connections open at once from one IP address; 0 = no limit.</summary>
    public int MaxConnectionsPerAddress { get; set; } = 1024;

    /// <summary>New connections per second from one IP address, sustained; 0 = no limit.</summary>
    public int MaxConnectRatePerAddress { get; set; } = 200;

    /// <summary>How many connections one address may open in a burst above the sustained rate.</summary>
    public int ConnectBurstPerAddress { get; set; } = 500;

    /// <summary>Apply the per-address limits to loopback clients too (off: local tools, tests and a reverse proxy on
    /// this machine are one address).</summary>
    public bool LimitLoopback { get; set; }
}

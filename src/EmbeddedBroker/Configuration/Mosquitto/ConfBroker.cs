namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// The global limits and persistence settings of the file, written to the "Broker" and "Persistence" sections.
/// Only what the file sets is written, except persistence: Mosquitto keeps nothing across restarts unless
/// <c>persistence true</c>, so a mosquitto.conf without it turns the store off here too.
/// </summary>
internal sealed class ConfBroker
{
    /// <summary>The name of the store when persistence_file does not give one: it is SQLite, not mosquitto.db's format.</summary>
    public const string DefaultStoreFile = "broker.db";

    /// <summary>The store's default "last alive" period; it may not be shorter than the flush interval.</summary>
    private static readonly TimeSpan DefaultAliveInterval = TimeSpan.FromSeconds(30);

    public TimeSpan? ServerKeepAlive { get; set; }

    public int? MaximumPacketSize { get; set; }

    /// <summary>The max_packet_size or message_size_limit line that set <see cref="MaximumPacketSize"/>.</summary>
    public ConfLine? PacketSizeLine { get; set; }

    public int? MaximumQueuedMessages { get; set; }

    public long? MaximumQueuedBytes { get; set; }

    public int? MaximumInflight { get; set; }

    public TimeSpan? SysInterval { get; set; }

    public bool? EnableSysTopics { get; set; }

    public bool? RetainAvailable { get; set; }

    public bool? ConnectionMessages { get; set; }

    public TimeSpan? PersistentSessionExpiry { get; set; }

    public long? MemoryLimitBytes { get; set; }

    public bool? Persistence { get; set; }

    /// <summary>persistence_location, resolved to a full path.</summary>
    public string? PersistenceLocation { get; set; }

    /// <summary>persistence_file as written (a file name, or a path relative to the location).</summary>
    public string? PersistenceFile { get; set; }

    public ConfLine? PersistencePathLine { get; set; }

    public TimeSpan? FlushInterval { get; set; }

    /// <summary>The store file, or null when neither persistence_location nor persistence_file is set (the store's
    /// own default then applies). Mosquitto joins them the same way ("LOCATION/FILE").</summary>
    public string? StorePath(string baseFolder) => PersistenceLocation is null && PersistenceFile is null
        ? null
        : Path.GetFullPath(Path.Combine(PersistenceLocation ?? baseFolder, PersistenceFile ?? DefaultStoreFile));

    public void WriteTo(ConfValues values, string baseFolder)
    {
        values.SetIfPresent("Broker:Capabilities:ServerKeepAlive", ServerKeepAlive);
        values.SetIfPresent("Broker:Capabilities:MaximumPacketSize", MaximumPacketSize);
        values.SetIfPresent("Broker:Capabilities:RetainAvailable", RetainAvailable);
        values.SetIfPresent("Broker:MaximumQueuedMessagesPerClient", MaximumQueuedMessages);
        values.SetIfPresent("Broker:MaximumQueuedBytesPerClient", MaximumQueuedBytes);
        values.SetIfPresent("Broker:MaximumInflightPerClient", MaximumInflight);
        values.SetIfPresent("Broker:SysInterval", SysInterval);
        values.SetIfPresent("Broker:EnableSysTopics", EnableSysTopics);
        values.SetIfPresent("Broker:ConnectionMessages", ConnectionMessages);
        values.SetIfPresent("Broker:PersistentSessionExpiry", PersistentSessionExpiry);
        values.SetIfPresent("Broker:MemoryLimitBytes", MemoryLimitBytes);

        values.Set("Persistence:Enabled", Persistence ?? false);
        var storePath = StorePath(baseFolder);
        if (storePath is not null)
        {
            if (Persistence == true)
            {
                MosquittoDatabase.RefuseIfMosquittoDatabase(storePath, PersistencePathLine!);
            }

            values.Set("Persistence:Path", storePath);
        }

        if (FlushInterval is { } flush)
        {
            values.Set("Persistence:FlushInterval", flush);
            if (flush > DefaultAliveInterval)
            {
                values.Set("Persistence:AliveInterval", flush);
            }
        }
    }
}

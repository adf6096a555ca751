namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// One <c>connection NAME</c> block: its remote addresses, topics and options, written as one entry of <c>Bridges</c>.
/// Only what the file sets is written; the bridge's options class supplies Mosquitto's defaults (docs/mosquitto-conf.md).
/// </summary>
internal sealed class ConfBridge(ConfLine connectionLine, string name)
{
    public ConfLine ConnectionLine { get; } = connectionLine;

    public string Name { get; } = name;

    /// <summary>"host:port" ("[::1]:1883" for an IPv6 address).</summary>
    public List<string> Addresses { get; } = [];

    public ConfLine? AddressLine { get; set; }

    public List<ConfBridgeTopic> Topics { get; } = [];

    public string? RemoteUsername { get; set; }

    public string? RemotePassword { get; set; }

    public ConfLine? RemotePasswordLine { get; set; }

    public string? RemoteClientId { get; set; }

    public string? LocalClientId { get; set; }

    public bool? CleanSession { get; set; }

    /// <summary>"3.1.1" or "5", the spelling Record:ProtocolVersion already uses.</summary>
    public string? ProtocolVersion { get; set; }

    public bool? TryPrivate { get; set; }

    public bool? Notifications { get; set; }

    public string? NotificationTopic { get; set; }

    public int? KeepAliveSeconds { get; set; }

    public int? RestartTimeoutSeconds { get; set; }

    /// <summary>The cap of <c>restart_timeout BASE CAP</c> (back-off with jitter from BASE up to CAP).</summary>
    public int? RestartTimeoutMaxSeconds { get; set; }

    public string? CaFile { get; set; }

    public string? CertFile { get; set; }

    public ConfLine? CertFileLine { get; set; }

    public string? KeyFile { get; set; }

    public ConfLine? KeyFileLine { get; set; }

    public bool? Insecure { get; set; }

    public ConfLine? InsecureLine { get; set; }

    /// <summary>Mosquitto's client id on the remote broker when remote_clientid is not set: "HOSTNAME.NAME".</summary>
    public string EffectiveRemoteClientId => RemoteClientId ?? $"{Environment.MachineName}.{Name}";

    /// <summary>Mosquitto's client id on the local broker when local_clientid is not set: "local.REMOTE_CLIENTID".</summary>
    public string EffectiveLocalClientId => LocalClientId ?? $"local.{EffectiveRemoteClientId}";

    /// <summary>The checks Mosquitto makes once the file is read, and the TLS combinations it silently downgrades.</summary>
    public void Validate()
    {
        if (Addresses.Count == 0)
        {
            throw ConnectionLine.Error($"bridge '{Name}' has no address", "add `address HOST[:PORT]` after the connection line");
        }

        if (Topics.Count == 0)
        {
            throw ConnectionLine.Error($"bridge '{Name}' has no topic", "add at least one `topic PATTERN [in|out|both] [QOS]` after the connection line");
        }

        if (RemotePassword is not null && RemoteUsername is null)
        {
            throw RemotePasswordLine!.Error($"bridge '{Name}' has a remote_password but no remote_username", "add `remote_username NAME`");
        }

        if ((CertFile is null) != (KeyFile is null))
        {
            var line = CertFileLine ?? KeyFileLine!;
            throw line.Error($"bridge '{Name}' needs both bridge_certfile and bridge_keyfile for a client certificate", "add the missing one, or remove this line");
        }

        var tlsOnly = CertFileLine ?? KeyFileLine ?? (Insecure == true ? InsecureLine : null);
        if (CaFile is null && tlsOnly is not null)
        {
            throw tlsOnly.Error($"bridge '{Name}' has no bridge_cafile, so Mosquitto would connect without TLS and ignore this line",
                "add `bridge_cafile PATH` (the CA that signed the remote broker's certificate)");
        }
    }

    public void WriteTo(ConfValues values, string prefix)
    {
        values.Set($"{prefix}:Name", Name);
        for (var i = 0; i < Addresses.Count; i++)
        {
            values.Set($"{prefix}:Addresses:{i}", Addresses[i]);
        }

        for (var i = 0; i < Topics.Count; i++)
        {
            Topics[i].WriteTo(values, $"{prefix}:Topics:{i}");
        }

        values.SetIfPresent($"{prefix}:RemoteUsername", RemoteUsername);
        values.SetIfPresent($"{prefix}:RemotePassword", RemotePassword);
        values.SetIfPresent($"{prefix}:RemoteClientId", RemoteClientId);
        values.SetIfPresent($"{prefix}:LocalClientId", LocalClientId);
        values.SetIfPresent($"{prefix}:CleanSession", CleanSession);
        values.SetIfPresent($"{prefix}:ProtocolVersion", ProtocolVersion);
        values.SetIfPresent($"{prefix}:TryPrivate", TryPrivate);
        values.SetIfPresent($"{prefix}:Notifications", Notifications);
        values.SetIfPresent($"{prefix}:NotificationTopic", NotificationTopic);
        values.SetIfPresent($"{prefix}:KeepAlive", KeepAliveSeconds);
        values.SetIfPresent($"{prefix}:RestartTimeout", RestartTimeoutSeconds);
        values.SetIfPresent($"{prefix}:RestartTimeoutMax", RestartTimeoutMaxSeconds);
        values.SetIfPresent($"{prefix}:Tls:CaFile", CaFile);
        values.SetIfPresent($"{prefix}:Tls:CertFile", CertFile);
        values.SetIfPresent($"{prefix}:Tls:KeyFile", KeyFile);
        values.SetIfPresent($"{prefix}:Tls:Insecure", Insecure);
    }
}

/// <summary>One <c>topic PATTERN [in|out|both] [QOS] [LOCAL_PREFIX] [REMOTE_PREFIX]</c> line of a bridge.</summary>
internal sealed record ConfBridgeTopic(string Pattern, string Direction, int Qos, string? LocalPrefix, string? RemotePrefix)
{
    public void WriteTo(ConfValues values, string prefix)
    {
        values.Set($"{prefix}:Pattern", Pattern);
        values.Set($"{prefix}:Direction", Direction);
        values.Set($"{prefix}:Qos", Qos);
        values.SetIfPresent($"{prefix}:LocalPrefix", LocalPrefix);
        values.SetIfPresent($"{prefix}:RemotePrefix", RemotePrefix);
    }
}

namespace EmbeddedBroker.Bridges.Options;

/// <summary>Mosquitto's <c>bridge_cafile</c>, <c>bridge_certfile</c>, <c>bridge_keyfile</c>, <c>bridge_insecure</c>:
/// TLS towards the remote broker when <see cref="CaFile"/> is set. Paths are PEM files.</summary>
public sealed record BridgeTlsOptions
{
    /// <summary>The CA (or CAs, in one PEM file) the remote broker's certificate must chain to. Set: TLS is used.</summary>
    public string? CaFile { get; init; }

    /// <summary>A client certificate for remotes that require one, with its private key in <see cref="KeyFile"/>.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>Do not check the remote's host name against its certificate (the chain is still checked). Tests only.</summary>
    public bool Insecure { get; init; }

    public bool Enabled => CaFile is not null;
}

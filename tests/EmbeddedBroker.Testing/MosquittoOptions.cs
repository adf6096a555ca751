namespace EmbeddedBroker.Testing;

/// <summary>What a test adds to the generated mosquitto.conf (which listens on 127.0.0.1, anonymous, no persistence, logs to stdout).</summary>
public sealed record MosquittoOptions
{
    /// <summary>Lines appended to the config, e.g. "max_packet_size 200" or "acl_file acl" (a file of <see cref="Files"/>).</summary>
    public IReadOnlyList<string> ConfigLines { get; init; } = [];

    /// <summary>
    /// Files written into the broker's folder before it starts, by name (an ACL, a config fragment). The folder is
    /// mosquitto's working directory, so the config names them by their plain file name.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
}

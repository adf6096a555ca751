using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// What the generator knows about one fuzz connection: its version and names, and the state a valid client has set up
/// on it (topic aliases, session expiry). Generation depends on the seed only, never on the broker's answers, so a
/// session is replayed exactly from its seed.
/// </summary>
internal sealed class SessionModel(Random random, MqttProtocolVersion version, string clientId, FuzzLimits limits)
{
    private readonly HashSet<ushort> _aliases = [];

    public Random Random { get; } = random;

    public MqttProtocolVersion Version { get; } = version;

    public bool IsV5 => Version == MqttProtocolVersion.V500;

    public string ClientId { get; } = clientId;

    /// <summary>Every valid topic of this session starts here, so that sessions do not deliver to one another by default.</summary>
    public string TopicRoot { get; } = "fuzz/" + clientId;

    public FuzzLimits Limits { get; } = limits;

    /// <summary>MQTT 5: the CONNECT asked for a session that outlives the connection (then DISCONNECT may change it).</summary>
    public bool HasSessionExpiry { get; set; }

    /// <summary>A blind mutation reached the broker: its state may now differ from this model (e.g. an alias defined).</summary>
    public bool ModelUncertain { get; set; }

    public IReadOnlyCollection<ushort> DefinedAliases => _aliases;

    /// <summary>A model with the same random source and names but none of this one's state: for packets generated only to
    /// be mutated or refused, whose effects (an alias they would define) the broker may never see.</summary>
    public SessionModel Scratch() => new(Random, Version, ClientId, Limits);

    public void DefineAlias(ushort alias) => _aliases.Add(alias);

    /// <summary>A topic alias this session has not defined, or null when all are defined (or the model is uncertain).</summary>
    public ushort? UndefinedAlias()
    {
        if (ModelUncertain || Limits.TopicAliasMaximum == 0 || _aliases.Count >= Limits.TopicAliasMaximum)
            return null;
        ushort alias;
        do
        {
            alias = (ushort)Random.Next(1, Limits.TopicAliasMaximum + 1);
        }
        while (_aliases.Contains(alias));
        return alias;
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    public bool Chance(double probability) => Random.NextDouble() < probability;

    /// <summary>Packet ids the broker never uses towards a fuzz client (it numbers from 1), so a stray acknowledgement is
    /// one for an unknown id, never one that completes the wrong QoS flow.</summary>
    public ushort StrayPacketId() => (ushort)Random.Next(30_000, 65_536);

    public ushort PacketId() => (ushort)Random.Next(1, 30_000);

    public byte[] RandomBytes(int minLength, int maxLength)
    {
        var bytes = new byte[Random.Next(minLength, maxLength + 1)];
        Random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A topic level of letters, digits and some non-ASCII characters (valid UTF-8, no wildcard, no U+0000).</summary>
    public string Level()
    {
        string[] pieces = ["a", "b", "temp", "x1", "é", "温度", "ü-ö", "Ω", "🌡", "sensor_7", " ", "."];
        var count = Random.Next(1, 3);
        return string.Concat(Enumerable.Range(0, count).Select(_ => Pick(pieces)));
    }

    public string Topic() => Random.Next(3) switch
    {
        0 => TopicRoot,
        1 => $"{TopicRoot}/{Level()}",
        _ => $"{TopicRoot}/{Level()}/{Level()}",
    };
}

/// <summary>The broker limits the generator aims at (oversize lengths, alias ranges) and keeps within (valid packets).</summary>
public sealed record FuzzLimits
{
    /// <summary>The broker's Maximum Packet Size (bytes, fixed header included).</summary>
    public int MaximumPacketSize { get; init; } = 1_048_576;

    /// <summary>The Topic Alias Maximum the broker announces to MQTT 5 clients.</summary>
    public int TopicAliasMaximum { get; init; } = 10;

    /// <summary>The broker accepts anonymous clients (false: valid CONNECTs are refused, as with a password file).</summary>
    public bool AnonymousAllowed { get; init; } = true;
}

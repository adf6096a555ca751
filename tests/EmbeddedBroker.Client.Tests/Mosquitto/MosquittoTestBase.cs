using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Client.Tests.Mosquitto;

/// <summary>Helpers for tests against the shared mosquitto: unique ids and topics, bounded waits, cleanup of clients.</summary>
public abstract class MosquittoTestBase
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly List<MqttClient> _clients = [];

    /// <summary>A topic prefix no other test uses, so retained messages and subscriptions do not leak between tests.</summary>
    protected string Prefix { get; private set; } = "";

    [SetUp]
    public void RequireMosquitto()
    {
        if (MosquittoSetUp.Broker is null)
        {
            Assert.Fail($"{ThirdPartyTools.MosquittoPath} is not installed: the interop tests need Debian's mosquitto (scripts/test.sh installs it).");
        }

        Prefix = $"t/{Guid.NewGuid():N}";
    }

    [TearDown]
    public async Task DisposeClients()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _clients.Clear();
    }

    protected static string NewClientId(string role = "c") => $"{role}-{Guid.NewGuid():N}"[..23];

    protected MqttClientOptions Options(MqttProtocolVersion version = MqttProtocolVersion.V311, string? clientId = null) => new()
    {
        Port = MosquittoSetUp.Broker!.Port,
        ClientId = clientId ?? NewClientId(),
        ProtocolVersion = version,
    };

    protected async Task<MqttClient> ConnectAsync(MqttClientOptions options)
    {
        var client = await MqttClient.ConnectAsync(options).WaitAsync(Timeout);
        _clients.Add(client);
        return client;
    }

    protected Task<MqttClient> ConnectAsync(MqttProtocolVersion version = MqttProtocolVersion.V311) => ConnectAsync(Options(version));

    protected static async Task<MqttReceivedMessage> ReceiveAsync(MqttClient client, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? Timeout);
        return await client.Messages.ReadAsync(cancel.Token);
    }

    /// <summary>True when nothing arrives within <paramref name="wait"/>: used after a marker proves the broker processed earlier packets.</summary>
    protected static bool NothingPending(MqttClient client) => !client.Messages.TryPeek(out _);
}

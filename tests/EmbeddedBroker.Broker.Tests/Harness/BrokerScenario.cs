using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Broker.Tests.Harness;

/// <summary>Base of scenario tests: a fresh broker per test, clients over in-memory pipes, everything bounded in time.</summary>
[CancelAfter(30_000)]
internal abstract class BrokerScenario
{
    private readonly List<TestClient> _clients = [];

    protected MqttBroker Broker { get; private set; } = null!;

    /// <summary>Options of the broker a test starts with; $SYS off so only the tests' own messages flow.</summary>
    protected virtual MqttBrokerOptions Options => new() { EnableSysTopics = false };

    protected virtual MqttBrokerHooks Hooks => new();

    [SetUp]
    public void StartBroker() => Broker = new MqttBroker(Options, Hooks);

    [TearDown]
    public async Task StopBroker()
    {
        await DisposeClientsAsync();
        await Broker.DisposeAsync();
    }

    protected async Task DisposeClientsAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        _clients.Clear();
    }

    /// <summary>Replaces the broker (the old one must have been disposed).</summary>
    protected void StartWith(MqttBrokerOptions options, MqttBrokerHooks hooks) => Broker = new MqttBroker(options, hooks);

    protected void Restart(MqttBrokerOptions options, MqttBrokerHooks? hooks = null)
    {
        // Only before any client was created by the test.
        Assert.That(_clients, Is.Empty);
        Broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Broker = new MqttBroker(options, hooks);
    }

    protected TestClient NewClient(MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        var client = new TestClient(Broker, version, $"memory:{_clients.Count + 1}");
        _clients.Add(client);
        return client;
    }

    protected async Task<TestClient> ConnectedClientAsync(string clientId, bool cleanSession = true, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        var client = NewClient(version);
        await client.ConnectOkAsync(clientId, cleanSession);
        return client;
    }

    protected static MqttApplicationMessage Message(string topic, string payload, MqttQualityOfService qos = MqttQualityOfService.AtMostOnce, bool retain = false) =>
        new()
        {
            Topic = topic,
            Payload = System.Text.Encoding.UTF8.GetBytes(payload),
            Qos = qos,
            Retain = retain,
            Source = MessageSource.Api,
        };

    /// <summary>Polls a condition the broker reaches asynchronously (e.g. a session detached after close).</summary>
    protected static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestClient.DefaultTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }
}

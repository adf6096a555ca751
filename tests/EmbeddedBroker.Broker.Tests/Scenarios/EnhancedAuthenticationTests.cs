using System.Text;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Broker.Tests.Harness;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Broker.Tests.Scenarios;

/// <summary>MQTT 5 enhanced authentication (4.12): the AUTH exchange at CONNECT and re-authentication after it.</summary>
internal sealed class EnhancedAuthenticationTests : BrokerScenario
{
    private const string Method = "TEST-CHALLENGE";

    protected override MqttBrokerHooks Hooks => new() { EnhancedAuthenticator = new ChallengeAuthenticator() };

    private static MqttProperties Auth(string data, string method = Method) =>
        new() { AuthenticationMethod = method, AuthenticationData = Encoding.UTF8.GetBytes(data) };

    private static string Text(ReadOnlyMemory<byte>? data) => data is { } bytes ? Encoding.UTF8.GetString(bytes.Span) : "";

    /// <summary>CONNECT with the method, answers the challenge, returns CONNACK.</summary>
    private static async Task<ConnAckPacket> AuthenticateAsync(TestClient client, string user, string answer)
    {
        await client.SendAsync(new ConnectPacket { ProtocolLevel = 5, ClientId = "c", Properties = Auth(user) });
        var challenge = await client.ReceiveAsync<AuthPacket>();
        Assert.That((challenge.ReasonCode, challenge.Properties.AuthenticationMethod, Text(challenge.Properties.AuthenticationData)),
            Is.EqualTo((MqttReasonCode.ContinueAuthentication, Method, $"prove you are {user}")));
        await client.SendAsync(new AuthPacket { ReasonCode = MqttReasonCode.ContinueAuthentication, Properties = Auth(answer) });
        return await client.ReceiveAsync<ConnAckPacket>();
    }

    [Test]
    public async Task A_challenge_answered_right_gives_CONNACK_success_with_the_method_and_final_data_MQTT_4_12_0_5()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        var connAck = await AuthenticateAsync(client, "alice", "secret-alice");
        Assert.That((connAck.ReasonCode, connAck.Properties.AuthenticationMethod, Text(connAck.Properties.AuthenticationData)),
            Is.EqualTo((MqttReasonCode.Success, Method, "welcome alice")));
        Assert.That(await client.PublishAsync("t", "x", MqttQualityOfService.AtLeastOnce), Is.EqualTo(MqttReasonCode.NoMatchingSubscribers));
    }

    [Test]
    public async Task A_wrong_answer_gets_CONNACK_with_the_refusal_and_the_connection_closes_MQTT_4_12_0_4()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        Assert.That((await AuthenticateAsync(client, "alice", "guess")).ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));
        Assert.That(await client.WaitForCloseAsync(), Is.Empty);
    }

    [Test]
    public async Task An_unknown_method_gets_CONNACK_0x8C_MQTT_4_12_0_1()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await client.SendAsync(new ConnectPacket { ProtocolLevel = 5, ClientId = "c", Properties = Auth("x", "SCRAM-SHA-1") });
        Assert.That((await client.ReceiveAsync<ConnAckPacket>()).ReasonCode, Is.EqualTo(MqttReasonCode.BadAuthenticationMethod));
    }

    [Test]
    public async Task Anything_but_AUTH_0x18_with_the_method_during_the_exchange_closes_the_connection_MQTT_4_12_0_2()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await client.SendAsync(new ConnectPacket { ProtocolLevel = 5, ClientId = "c", Properties = Auth("alice") });
        await client.ReceiveAsync<AuthPacket>();
        await client.SendAsync(PingReqPacket.Instance);
        Assert.That(await client.WaitForCloseAsync(), Is.Empty, "no CONNACK: the client broke the exchange");
    }

    [Test]
    public async Task Re_authentication_runs_the_exchange_again_and_ends_with_AUTH_0x00_MQTT_4_12_1()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await AuthenticateAsync(client, "alice", "secret-alice");
        await client.SendAsync(new AuthPacket { ReasonCode = MqttReasonCode.ReAuthenticate, Properties = Auth("alice") });
        Assert.That((await client.ReceiveAsync<AuthPacket>()).ReasonCode, Is.EqualTo(MqttReasonCode.ContinueAuthentication));
        await client.SendAsync(new AuthPacket { ReasonCode = MqttReasonCode.ContinueAuthentication, Properties = Auth("secret-alice") });
        var done = await client.ReceiveAsync<AuthPacket>();
        Assert.That((done.ReasonCode, Text(done.Properties.AuthenticationData)), Is.EqualTo((MqttReasonCode.Success, "welcome alice")));
    }

    [Test]
    public async Task A_failed_re_authentication_gets_DISCONNECT_with_the_reason_MQTT_4_12_1_2()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await AuthenticateAsync(client, "alice", "secret-alice");
        await client.SendAsync(new AuthPacket { ReasonCode = MqttReasonCode.ReAuthenticate, Properties = Auth("alice") });
        await client.ReceiveAsync<AuthPacket>();
        await client.SendAsync(new AuthPacket { ReasonCode = MqttReasonCode.ContinueAuthentication, Properties = Auth("wrong") });
        Assert.That((await client.WaitForCloseAsync()).OfType<DisconnectPacket>().Single().ReasonCode, Is.EqualTo(MqttReasonCode.NotAuthorized));
    }

    [Test]
    public async Task Re_authenticating_with_another_method_is_a_protocol_error_MQTT_4_12_1_1()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await AuthenticateAsync(client, "alice", "secret-alice");
        await client.SendAsync(new AuthPacket { ReasonCode = MqttReasonCode.ReAuthenticate, Properties = Auth("alice", "OTHER") });
        Assert.That((await client.WaitForCloseAsync()).OfType<DisconnectPacket>().Single().ReasonCode, Is.EqualTo(MqttReasonCode.ProtocolError));
    }

    [Test]
    public async Task AUTH_from_a_client_that_connected_without_a_method_is_a_protocol_error_4_12()
    {
        var client = NewClient(MqttProtocolVersion.V500);
        await client.ConnectOkAsync("plain");
        await client.SendAsync(new AuthPacket { ReasonCode = MqttReasonCode.ReAuthenticate, Properties = Auth("x") });
        Assert.That((await client.WaitForCloseAsync()).OfType<DisconnectPacket>().Single().ReasonCode, Is.EqualTo(MqttReasonCode.ProtocolError));
    }

    /// <summary>Two steps: "prove you are {user}", then the answer must be "secret-{user}".</summary>
    private sealed class ChallengeAuthenticator : IEnhancedAuthenticator
    {
        public IReadOnlyCollection<string> Methods { get; } = [Method];

        public ValueTask<EnhancedAuthenticationStep> StartAsync(EnhancedAuthenticationRequest request, CancellationToken cancellationToken)
        {
            var user = Text(request.Data);
            return ValueTask.FromResult(EnhancedAuthenticationStep.Continue(Encoding.UTF8.GetBytes($"prove you are {user}"), (answer, _) =>
                ValueTask.FromResult(Text(answer) == $"secret-{user}"
                    ? EnhancedAuthenticationStep.Succeed(user, Encoding.UTF8.GetBytes($"welcome {user}"))
                    : EnhancedAuthenticationStep.Fail(MqttReasonCode.NotAuthorized))));
        }
    }
}

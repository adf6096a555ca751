using System.IO.Pipelines;
using System.Text;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Fuzzing;

/// <summary>How the broker answered a <see cref="CredentialAttempt"/>.</summary>
public enum CredentialOutcome
{
    /// <summary>CONNACK 0x00: the attempt got in (never acceptable for random credentials).</summary>
    Accepted,

    /// <summary>A CONNACK with a refusal code, then the close.</summary>
    Refused,

    /// <summary>Closed without CONNACK (a malformed CONNECT: ill-formed UTF-8, a password without a user name in 3.1.1).</summary>
    Closed,

    /// <summary>Neither a CONNACK nor a close in time.</summary>
    Hung,

    /// <summary>The broker wrote bytes that are not a packet, or a packet that has no place here.</summary>
    Wrong,
}

/// <summary>Sends one <see cref="CredentialAttempt"/> and reads the answer; a SCRAM exchange is continued with a random proof.</summary>
public static class CredentialProbe
{
    public static async Task<(CredentialOutcome Outcome, MqttReasonCode? Code)> RunAsync(IDuplexPipe pipe, CredentialAttempt attempt, Random random,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(random);
        var reader = new BrokerReader(pipe.Input) { Version = attempt.Version };
        await pipe.Output.WriteAsync(attempt.Connect, cancellationToken);
        while (true)
        {
            var reply = await reader.ReadAsync(timeout, cancellationToken);
            switch (reply.Kind)
            {
                case ReplyKind.Packet when reply.Packet is ConnAckPacket connAck:
                    return (connAck.ReasonCode == MqttReasonCode.Success ? CredentialOutcome.Accepted : CredentialOutcome.Refused, connAck.ReasonCode);
                case ReplyKind.Packet when reply.Packet is AuthPacket { ReasonCode: MqttReasonCode.ContinueAuthentication } && attempt.StartsScram:
                    // The server-first-message came: answer with a client-final-message whose proof is random.
                    var proof = random.Next(2) == 0 ? RandomBytes(random, random.Next(0, 100))
                        : Encoding.ASCII.GetBytes($"c=biws,r={Convert.ToBase64String(RandomBytes(random, 24))},p={Convert.ToBase64String(RandomBytes(random, 64))}");
                    var auth = new AuthPacket
                    {
                        ReasonCode = MqttReasonCode.ContinueAuthentication,
                        Properties = new MqttProperties { AuthenticationMethod = RandomCredentials.ScramMethod, AuthenticationData = proof },
                    };
                    await pipe.Output.WriteAsync(PacketBytes.Encode(auth, MqttProtocolVersion.V500), cancellationToken);
                    continue;
                case ReplyKind.Closed:
                    return (CredentialOutcome.Closed, null);
                case ReplyKind.TimedOut:
                    return (CredentialOutcome.Hung, null);
                default:
                    return (CredentialOutcome.Wrong, null);
            }
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}

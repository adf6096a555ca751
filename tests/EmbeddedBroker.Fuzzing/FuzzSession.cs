using System.Globalization;
using System.IO.Pipelines;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// Plays one <see cref="SessionPlan"/> over a connection and checks every answer: each step is followed by a probe (an
/// UNSUBSCRIBE with a packet id no step uses), so the broker must either answer it with its UNSUBACK (the connection is
/// alive) or close. A PINGREQ would not do: a step may hold PINGREQs of its own, whose answers look the same. A step the spec refuses must close
/// (MQTT 5 with a DISCONNECT carrying its reason code, 3.1.x without any packet); a valid one must not; nothing may
/// hang, and every byte the broker writes must decode. Broker PUBLISH packets are acknowledged as a client would.
/// </summary>
internal sealed class FuzzSession(SessionPlan plan, FuzzReport report, TimeSpan replyTimeout)
{
    private static readonly byte[] Disconnect = [0xE0, 0x00];
    private ushort _probeId = 40_000;
    private MqttProtocolVersion _version;
    private PipeWriter _output = null!;
    private BrokerReader _reader = null!;

    public async Task RunAsync(IDuplexPipe pipe, CancellationToken cancellationToken)
    {
        report.SessionStarted();
        _output = pipe.Output;
        _reader = new BrokerReader(pipe.Input) { Version = ResponseVersion(plan.Connect.Bytes) };
        _version = _reader.Version;
        report.Sent(plan.Connect);
        await WriteAsync(plan.Connect.Bytes, cancellationToken);
        if (!await HandshakeAsync(cancellationToken))
            return;

        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            report.Sent(step);
            var probe = PacketBytes.Encode(new UnsubscribePacket { PacketId = ++_probeId, TopicFilters = ["fuzz/" + plan.ClientId + "/probe"] }, _version);
            await WriteAsync([.. step.Bytes, .. probe], cancellationToken);
            if (!await ProbeAsync(i + 1, step, cancellationToken))
                return;
        }

        if (plan.EndWithDisconnect)
        {
            await WriteAsync(Disconnect, cancellationToken);
            await ExpectCloseAsync(plan.Steps.Count + 1, "after DISCONNECT (MQTT-3.14.4-1: the server closes)", cancellationToken);
        }
    }

    /// <summary>The version of the CONNACK the broker will write: the level of the CONNECT as the codec reads it.</summary>
    private static MqttProtocolVersion ResponseVersion(byte[] connect) =>
        MqttPacketDecoder.TryDecode(new System.Buffers.ReadOnlySequence<byte>(connect), MqttProtocolVersion.V311, 0, out var packet, out _, out _) == DecodeStatus.Decoded
            && packet is ConnectPacket { ProtocolLevel: (byte)MqttProtocolVersion.V500 }
            ? MqttProtocolVersion.V500
            : MqttProtocolVersion.V311;

    private async Task<bool> HandshakeAsync(CancellationToken cancellationToken)
    {
        var connect = plan.Connect;
        var reply = await _reader.ReadAsync(replyTimeout, cancellationToken);
        switch (reply.Kind)
        {
            case ReplyKind.Packet when reply.Packet is ConnAckPacket { ReasonCode: MqttReasonCode.Success }:
                if (connect.Verdict == Verdict.Refused)
                {
                    Violate(0, connect, "CONNACK 0x00: the broker accepted a CONNECT the spec refuses");
                    return false;
                }

                // A valid CONNECT's session speaks its plan's version; a mutated one the level its bytes carry.
                _version = connect.Verdict == Verdict.Accepted ? plan.Version : _reader.Version;
                _reader.Version = _version;
                return true;
            case ReplyKind.Packet when reply.Packet is ConnAckPacket refusal:
                var code = refusal.ReasonCode;
                if (connect.Verdict == Verdict.Accepted)
                    Violate(0, connect, $"a valid CONNECT refused with 0x{(byte)code:X2}");
                else if (connect.ConnAckCodes.Count > 0 && !connect.ConnAckCodes.Contains(code))
                    Violate(0, connect, $"CONNACK 0x{(byte)code:X2} instead of {Codes(connect.ConnAckCodes)}");
                await ExpectCloseAsync(0, "after a refusing CONNACK (MQTT-3.2.2-5: then close)", cancellationToken);
                return false;
            case ReplyKind.Packet when reply.Packet is AuthPacket:
                return false; // an enhanced authentication started by a mutated CONNECT: nothing more to check
            case ReplyKind.Packet:
                Violate(0, connect, $"{reply.Packet!.Type} before CONNACK");
                return false;
            case ReplyKind.Closed:
                if (connect.Verdict == Verdict.Accepted)
                    Violate(0, connect, "closed without CONNACK on a valid CONNECT");
                else if (connect.RequiresConnAck)
                    Violate(0, connect, $"closed without the CONNACK {Codes(connect.ConnAckCodes)} the spec requires");
                report.Closed(_version, null, reply.WasReset);
                return false;
            default:
                Violate(0, connect, Problem(reply, "CONNACK or a close"));
                return false;
        }
    }

    /// <summary>Reads until the probe's UNSUBACK (true: alive) or the close (false).</summary>
    private async Task<bool> ProbeAsync(int index, FuzzCase step, CancellationToken cancellationToken)
    {
        MqttReasonCode? disconnect = null;
        while (true)
        {
            var reply = await _reader.ReadAsync(replyTimeout, cancellationToken);
            switch (reply.Kind)
            {
                case ReplyKind.Packet when reply.Packet is UnsubAckPacket ack && ack.PacketId == _probeId:
                    if (disconnect is not null)
                        Violate(index, step, "answered the probe after its DISCONNECT");
                    if (step.Verdict == Verdict.Refused)
                    {
                        Violate(index, step, "the connection stayed open (probe answered) after a packet the spec refuses");
                        return false;
                    }

                    return true;
                case ReplyKind.Packet when reply.Packet is DisconnectPacket packet:
                    if (_version != MqttProtocolVersion.V500)
                        Violate(index, step, "DISCONNECT sent to an MQTT 3.1.x client (3.1.1 has no server DISCONNECT)");
                    disconnect = packet.ReasonCode;
                    continue;
                case ReplyKind.Packet:
                    await AnswerAsync(index, step, reply, cancellationToken);
                    continue;
                case ReplyKind.Closed:
                    CheckClose(index, step, disconnect, reply.WasReset);
                    return false;
                default:
                    Violate(index, step, Problem(reply, "the probe's UNSUBACK or a close"));
                    return false;
            }
        }
    }

    private void CheckClose(int index, FuzzCase step, MqttReasonCode? disconnect, bool reset)
    {
        report.Closed(_version, disconnect, reset);
        if (step.Verdict == Verdict.Accepted)
        {
            Violate(index, step, "the connection was closed after a valid packet");
            return;
        }

        if (_version != MqttProtocolVersion.V500 || reset)
            return; // 3.1.x: a plain close is the answer; a reset may have swallowed the DISCONNECT
        if (disconnect is not { } code)
        {
            // 4.13: SHOULD send DISCONNECT, which this broker always does; a blind step may itself be a client DISCONNECT.
            if (step.Verdict == Verdict.Refused)
                Violate(index, step, "closed without DISCONNECT (5.0 4.13.1: SHOULD send DISCONNECT with the reason code)");
            return;
        }

        if ((byte)code < 0x80)
            Violate(index, step, $"closed with DISCONNECT 0x{(byte)code:X2}, not an error reason code");
        else if (step.Verdict == Verdict.Refused && step.Codes.Count > 0 && !step.Codes.Contains(code))
            Violate(index, step, $"closed with DISCONNECT 0x{(byte)code:X2} instead of {Codes(step.Codes)}");
    }

    /// <summary>Acknowledges what a client must (PUBLISH at QoS 1/2, PUBREL) and checks what the broker sends.</summary>
    private async Task AnswerAsync(int index, FuzzCase step, Reply reply, CancellationToken cancellationToken)
    {
        if (_version == MqttProtocolVersion.V500 && plan.Connect.Verdict == Verdict.Accepted && reply.Size > ValidPackets.ClientMaximumPacketSize)
            Violate(index, step, $"a {reply.Size}-byte {reply.Packet!.Type} over the client's Maximum Packet Size (MQTT-3.1.2-24)");
        MqttPacket? answer = reply.Packet switch
        {
            PublishPacket { Qos: MqttQualityOfService.AtLeastOnce } p => new PubAckPacket { PacketId = p.PacketId },
            PublishPacket { Qos: MqttQualityOfService.ExactlyOnce } p => new PubRecPacket { PacketId = p.PacketId },
            PubRelPacket rel => new PubCompPacket { PacketId = rel.PacketId },
            ConnAckPacket => null,
            _ => null,
        };
        if (reply.Packet is ConnAckPacket)
            Violate(index, step, "a second CONNACK");
        if (reply.Packet is PublishPacket publish && publish.Topic.Length > 0 && !MqttTopic.IsValidTopicName(publish.Topic))
            Violate(index, step, $"delivered a PUBLISH with the invalid topic name \"{publish.Topic}\"");
        if (answer is not null)
            await WriteAsync(PacketBytes.Encode(answer, _version), cancellationToken);
    }

    private async Task ExpectCloseAsync(int index, string when, CancellationToken cancellationToken)
    {
        while (true)
        {
            var reply = await _reader.ReadAsync(replyTimeout, cancellationToken);
            switch (reply.Kind)
            {
                case ReplyKind.Closed:
                    report.Closed(_version, null, reply.WasReset);
                    return;
                case ReplyKind.Packet when reply.Packet is PublishPacket or PubRelPacket or PubAckPacket or PubRecPacket or PubCompPacket or SubAckPacket or UnsubAckPacket or PingRespPacket:
                    continue; // still in flight when the close began
                case ReplyKind.Packet when reply.Packet is DisconnectPacket { ReasonCode: >= MqttReasonCode.UnspecifiedError } && plan.Connect.IsBlind:
                    continue; // a mutated CONNECT's trailing bytes may hold a packet the broker refuses
                case ReplyKind.Packet:
                    Violate(index, plan.Connect, $"{reply.Packet!.Type} {when}");
                    return;
                default:
                    Violate(index, plan.Connect, Problem(reply, $"the close {when}"));
                    return;
            }
        }
    }

    /// <summary>Writes and flushes; a connection the broker already closed just takes nothing more (its replies tell the rest).</summary>
    private async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _output.WriteAsync(bytes, cancellationToken);
        }
        catch (IOException)
        {
            // Reset by the broker: reading shows the close.
        }
        catch (InvalidOperationException)
        {
            // The writer was completed: the transport is gone.
        }
    }

    private string Problem(Reply reply, string expected) => reply.Kind switch
    {
        ReplyKind.TimedOut => string.Create(CultureInfo.InvariantCulture, $"neither {expected} within {replyTimeout.TotalSeconds:0.#} s: the connection hangs"),
        ReplyKind.Undecodable => $"the broker sent bytes that are not a packet: {reply.Problem}",
        _ => $"unexpected {reply.Kind}",
    };

    private void Violate(int step, FuzzCase fuzzCase, string problem) => report.Add(new Violation(report.RunSeed, plan, step, fuzzCase, problem));

    private static string Codes(IReadOnlyList<MqttReasonCode> codes) => string.Join(" or ", codes.Select(c => $"0x{(byte)c:X2}"));
}

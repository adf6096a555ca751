using System.Globalization;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// The global limits: keep-alive, packet and message size, queues, in-flight window, $SYS interval, retained messages,
/// connection log lines, session expiry and memory. Ranges are Mosquitto's, narrowed where EmbeddedBroker's own
/// validators are narrower, so that the error names the line instead of a configuration key the user never wrote.
/// </summary>
internal static class BrokerKeys
{
    /// <summary>The largest packet the protocol allows (268 435 455 remaining length + 5 header bytes).</summary>
    public const int ProtocolMaximumPacketSize = 268_435_460;

    /// <summary>message_size_limit limits the payload; the packet also carries the topic and properties.</summary>
    public const int MessageSizeAllowance = 65_536;

    private const int MinimumPacketSize = 128;

    public static void Register(IDictionary<string, KeyHandler> handlers)
    {
        handlers["max_keepalive"] = (state, line) =>
            state.Broker.ServerKeepAlive = TimeSpan.FromSeconds(line.Integer(10, ushort.MaxValue, "10..65535 seconds"));
        handlers["max_packet_size"] = (state, line) => SetPacketSize(state, line,
            line.Integer(MinimumPacketSize, ProtocolMaximumPacketSize, $"{MinimumPacketSize}..{ProtocolMaximumPacketSize} bytes (EmbeddedBroker's smallest is {MinimumPacketSize})"));
        handlers["message_size_limit"] = (state, line) =>
        {
            var payload = line.Integer(0, ProtocolMaximumPacketSize - 5, "0 (no limit) or a payload size in bytes, at most 268435455");
            SetPacketSize(state, line, payload == 0 ? ProtocolMaximumPacketSize : (int)Math.Min((long)payload + MessageSizeAllowance, ProtocolMaximumPacketSize));
        };
        handlers["max_queued_messages"] = (state, line) => state.Broker.MaximumQueuedMessages =
            line.Integer(1, int.MaxValue, "a count of at least 1 (every queue is bounded here, so 0 for no limit is not offered; Mosquitto's default is 1000)");
        handlers["max_queued_bytes"] = MaxQueuedBytes;
        handlers["max_inflight_messages"] = (state, line) =>
        {
            var count = line.Integer(int.MinValue, ushort.MaxValue, "0..65535 (0 = no limit)");
            state.Broker.MaximumInflight = count <= 0 ? ushort.MaxValue : count; // 65 535 packet identifiers is the protocol's own limit
        };
        handlers["sys_interval"] = (state, line) =>
        {
            var seconds = line.Integer(0, ushort.MaxValue, "0 (no $SYS topics) .. 65535 seconds");
            state.Broker.EnableSysTopics = seconds > 0;
            state.Broker.SysInterval = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
        };
        handlers["retain_available"] = (state, line) => state.Broker.RetainAvailable = line.Boolean();
        handlers["connection_messages"] = (state, line) => state.Broker.ConnectionMessages = line.Boolean();
        handlers["persistent_client_expiration"] = (state, line) => state.Broker.PersistentSessionExpiry = ParseExpiration(line);
        handlers["memory_limit"] = MemoryLimit;
    }

    private static void SetPacketSize(ConfState state, ConfLine line, int size)
    {
        if (state.Broker.PacketSizeLine is { } other && other.Key != line.Key)
        {
            throw line.Error($"{other.Key} at {other.Where} already sets the largest packet (here both limit the same thing)",
                "keep max_packet_size only (Mosquitto also recommends it over message_size_limit)");
        }

        state.Broker.MaximumPacketSize = size;
        state.Broker.PacketSizeLine = line;
    }

    private static void MaxQueuedBytes(ConfState state, ConfLine line)
    {
        var bytes = line.Integer(int.MinValue, int.MaxValue, "0 (Mosquitto: no limit) or at least 1024 bytes");
        if (bytes <= 0)
        {
            state.Broker.MaximumQueuedBytes = null;
            state.Warn(line, "0 means no limit in Mosquitto; EmbeddedBroker bounds every queue, so its default (Broker:MaximumQueuedBytesPerClient, 64 MiB) applies");
            return;
        }

        if (bytes < 1024)
        {
            throw line.Error($"{bytes} bytes is below EmbeddedBroker's smallest queue", "use at least 1024 bytes");
        }

        state.Broker.MaximumQueuedBytes = bytes;
    }

    private static void MemoryLimit(ConfState state, ConfLine line)
    {
        var word = line.Word("BYTES");
        if (!long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bytes) || bytes < 0)
        {
            throw line.Error($"'{word}' is not a byte count", "use 0 (no limit) or a number of bytes, at least 1048576");
        }

        if (bytes == 0)
        {
            state.Broker.MemoryLimitBytes = null;
            state.Warn(line, "0 means no limit in Mosquitto; EmbeddedBroker always bounds what it holds, so its default (Broker:MemoryLimitBytes, half of the process's memory) applies");
            return;
        }

        if (bytes < 1024 * 1024)
        {
            throw line.Error($"{bytes} bytes is below EmbeddedBroker's smallest memory limit", "use at least 1048576 (1 MiB)");
        }

        state.Broker.MemoryLimitBytes = bytes;
    }

    /// <summary><c>persistent_client_expiration 14d</c>: a whole number and one of h, d, w, m (30 days), y (365 days).</summary>
    private static TimeSpan ParseExpiration(ConfLine line)
    {
        const string Form = "a whole number followed by h, d, w, m or y, e.g. 14d";
        var word = line.Word("DURATION");
        var hours = word[^1] switch
        {
            'h' => 1,
            'd' => 24,
            'w' => 24 * 7,
            'm' => 24 * 30,
            'y' => 24 * 365,
            _ => throw line.Error($"'{word}' is not a duration", $"use {Form}"),
        };
        if (!int.TryParse(word[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            throw line.Error($"'{word}' is not a duration", $"use {Form}");
        }

        return TimeSpan.FromHours((double)count * hours);
    }
}

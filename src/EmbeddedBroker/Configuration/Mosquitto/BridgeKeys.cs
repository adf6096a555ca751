using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// <c>connection NAME</c> and the bridge options that follow it: address, topic, credentials, client ids, clean session,
/// protocol version, try_private, notifications, keep-alive, restart timeout and TLS. The old spellings Mosquitto still
/// reads (username, password, clientid, addresses) are read too.
/// </summary>
internal static class BridgeKeys
{
    public static void Register(IDictionary<string, KeyHandler> handlers)
    {
        handlers["connection"] = Connection;
        handlers["address"] = BridgeLines.Addresses;
        handlers["addresses"] = BridgeLines.Addresses;
        handlers["topic"] = BridgeLines.Topic;

        handlers["remote_username"] = (state, line) => state.BridgeFor(line).RemoteUsername = OnceText(state, line, "remote_username");
        handlers["username"] = handlers["remote_username"];
        handlers["remote_password"] = (state, line) =>
        {
            var bridge = state.BridgeFor(line);
            bridge.RemotePassword = OnceText(state, line, "remote_password");
            bridge.RemotePasswordLine = line;
        };
        handlers["password"] = handlers["remote_password"];
        handlers["remote_clientid"] = (state, line) => state.BridgeFor(line).RemoteClientId = OnceText(state, line, "remote_clientid");
        handlers["clientid"] = handlers["remote_clientid"];
        handlers["local_clientid"] = (state, line) => state.BridgeFor(line).LocalClientId = OnceText(state, line, "local_clientid");
        handlers["notification_topic"] = (state, line) =>
        {
            var topic = OnceText(state, line, "notification_topic");
            state.BridgeFor(line).NotificationTopic = MqttTopic.IsValidTopicName(topic)
                ? topic
                : throw line.Error($"'{topic}' is not a topic name", "give a topic without + or #, e.g. $SYS/broker/connection/site-a/state");
        };

        handlers["cleansession"] = (state, line) => state.BridgeFor(line).CleanSession = line.Boolean();
        handlers["try_private"] = (state, line) => state.BridgeFor(line).TryPrivate = line.Boolean();
        handlers["notifications"] = (state, line) => state.BridgeFor(line).Notifications = line.Boolean();
        handlers["bridge_protocol_version"] = (state, line) => state.BridgeFor(line).ProtocolVersion = line.Word("mqttv311|mqttv50") switch
        {
            "mqttv311" => "3.1.1",
            "mqttv50" => "5",
            "mqttv31" => throw line.Error("MQTT 3.1 bridges are not supported", "use mqttv311 (every broker that speaks 3.1 also speaks 3.1.1) or mqttv50"),
            var other => throw line.Error($"'{other}' is not a bridge protocol version", "use mqttv311 or mqttv50"),
        };
        handlers["keepalive_interval"] = KeepAlive;
        handlers["restart_timeout"] = RestartTimeout;

        handlers["bridge_cafile"] = (state, line) => state.BridgeFor(line).CaFile = state.ResolvePath(OnceText(state, line, "bridge_cafile"));
        handlers["bridge_certfile"] = (state, line) =>
        {
            var bridge = state.BridgeFor(line);
            bridge.CertFile = state.ResolvePath(OnceText(state, line, "bridge_certfile"));
            bridge.CertFileLine = line;
        };
        handlers["bridge_keyfile"] = (state, line) =>
        {
            var bridge = state.BridgeFor(line);
            bridge.KeyFile = state.ResolvePath(OnceText(state, line, "bridge_keyfile"));
            bridge.KeyFileLine = line;
        };
        handlers["bridge_insecure"] = (state, line) =>
        {
            var bridge = state.BridgeFor(line);
            bridge.Insecure = line.Boolean();
            bridge.InsecureLine = line;
            if (bridge.Insecure == true)
            {
                state.Warn(line, $"bridge '{bridge.Name}' does not check the remote broker's host name against its certificate; use only for tests");
            }
        };
    }

    private static void Connection(ConfState state, ConfLine line)
    {
        if (line.Words.Count == 0 || line.Words[0].StartsWith('#'))
        {
            throw line.Error("no bridge name", "write `connection NAME`, e.g. `connection central`");
        }

        var name = line.Words[0];
        line.ExpectNoMoreWords(1, "NAME");
        var existing = state.Bridges.FirstOrDefault(b => b.Name == name);
        if (existing is not null)
        {
            throw line.Error($"a bridge named '{name}' is already defined at {existing.ConnectionLine.Where}", "give each bridge its own name");
        }

        var bridge = new ConfBridge(line, name);
        state.Bridges.Add(bridge);
        state.CurrentBridge = bridge;
    }

    /// <summary>Mosquitto raises a keep-alive below 5 s to 5 s, with a notice.</summary>
    private static void KeepAlive(ConfState state, ConfLine line)
    {
        var bridge = state.BridgeFor(line);
        var seconds = line.Integer(int.MinValue, ushort.MaxValue, "5..65535 seconds");
        if (seconds < 5)
        {
            state.Warn(line, $"{seconds} s is below the 5 s Mosquitto allows; 5 s is used, as in Mosquitto");
            seconds = 5;
        }

        bridge.KeepAliveSeconds = seconds;
    }

    /// <summary><c>restart_timeout CONSTANT</c> or <c>restart_timeout BASE CAP</c>; Mosquitto raises values below 1 s to 1 s.</summary>
    private static void RestartTimeout(ConfState state, ConfLine line)
    {
        var bridge = state.BridgeFor(line);
        if (line.Words.Count == 0)
        {
            throw line.Error("no value", "write `restart_timeout SECONDS` or `restart_timeout BASE CAP`");
        }

        var first = BridgeLines.Seconds(line, line.Words[0]);
        if (first < 1)
        {
            state.Warn(line, $"{first} s is below 1 s; 1 s is used, as in Mosquitto");
            first = 1;
        }

        bridge.RestartTimeoutSeconds = first;
        bridge.RestartTimeoutMaxSeconds = null;
        if (line.Words.Count > 1 && !line.Words[1].StartsWith('#'))
        {
            var cap = BridgeLines.Seconds(line, line.Words[1]);
            if (cap < first)
            {
                throw line.Error($"the cap {cap} s is lower than the base {first} s", "write `restart_timeout BASE CAP` with CAP >= BASE, e.g. `restart_timeout 5 30`");
            }

            line.ExpectNoMoreWords(2, "BASE CAP");
            bridge.RestartTimeoutMaxSeconds = cap;
        }
    }

    private static string OnceText(ConfState state, ConfLine line, string option)
    {
        state.Once(line, state.BridgeFor(line), option);
        return line.Text();
    }
}

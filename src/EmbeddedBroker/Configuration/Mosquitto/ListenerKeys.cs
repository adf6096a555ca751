namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>A handler for one mosquitto.conf key.</summary>
internal delegate void KeyHandler(ConfState state, ConfLine line);

/// <summary>
/// listener, the default listener's port and bind_address, and the options of the current listener: protocol,
/// socket_domain, bind_interface, max_connections and certificate-based TLS.
/// </summary>
internal static class ListenerKeys
{
    public static void Register(IDictionary<string, KeyHandler> handlers)
    {
        handlers["listener"] = Listener;
        handlers["port"] = Port;
        handlers["bind_address"] = BindAddress;
        handlers["protocol"] = (state, line) => state.ListenerFor(line).Protocol = line.Word("mqtt|websockets") switch
        {
            "mqtt" => "mqtt",
            "websockets" => "websockets",
            var other => throw line.Error($"'{other}' is not a protocol", "use mqtt or websockets"),
        };
        handlers["socket_domain"] = (state, line) => state.ListenerFor(line).SocketDomain = line.Word("ipv4|ipv6") switch
        {
            "ipv4" => "ipv4",
            "ipv6" => "ipv6",
            var other => throw line.Error($"'{other}' is not a socket domain", "use ipv4 or ipv6, or remove the line for both"),
        };
        handlers["bind_interface"] = (state, line) => state.ListenerFor(line).BindInterface = OnceText(state, line, state.ListenerFor(line));
        handlers["max_connections"] = (state, line) =>
            state.ListenerFor(line).MaxConnections = Math.Max(-1, line.Integer(int.MinValue, int.MaxValue, "a number of clients, or -1 for no limit"));

        handlers["certfile"] = (state, line) =>
        {
            var tls = state.ListenerFor(line).Tls;
            tls.CertFile = state.ResolvePath(OnceText(state, line, tls));
            tls.CertFileLine = line;
        };
        handlers["keyfile"] = (state, line) =>
        {
            var tls = state.ListenerFor(line).Tls;
            tls.KeyFile = state.ResolvePath(OnceText(state, line, tls));
            tls.KeyFileLine = line;
        };
        handlers["cafile"] = (state, line) =>
        {
            var tls = TlsOption(state, line);
            tls.CaFile = state.ResolvePath(OnceText(state, line, tls));
            tls.CaFileLine = line;
        };
        handlers["capath"] = (state, line) =>
        {
            var tls = TlsOption(state, line);
            tls.CaPath = state.ResolvePath(OnceText(state, line, tls));
            tls.CaPathLine = line;
        };
        handlers["require_certificate"] = (state, line) => TlsSwitch(state, line).RequireCertificate = line.Boolean();
        handlers["use_identity_as_username"] = (state, line) => TlsSwitch(state, line).UseIdentityAsUsername = line.Boolean();
        handlers["use_subject_as_username"] = (state, line) => TlsSwitch(state, line).UseSubjectAsUsername = line.Boolean();
        handlers["tls_version"] = (state, line) => TlsOption(state, line).Version = OnceText(state, line, TlsOption(state, line)) switch
        {
            "tlsv1.2" => "tlsv1.2",
            "tlsv1.3" => "tlsv1.3",
            "tlsv1.1" => throw line.Error("TLS 1.1 is not offered (it is obsolete and .NET disables it)", "use tlsv1.2 (the lowest version allowed) or tlsv1.3"),
            var other => throw line.Error($"'{other}' is not a TLS version", "use tlsv1.2 or tlsv1.3 (the lowest version allowed)"),
        };
        handlers["ciphers"] = (state, line) =>
        {
            var tls = TlsOption(state, line);
            tls.Ciphers = OnceText(state, line, tls);
            tls.CiphersLine = line;
        };
    }

    /// <summary><c>listener PORT [ADDRESS]</c>: a new listener; the options after it are its own.</summary>
    private static void Listener(ConfState state, ConfLine line)
    {
        state.LocalOnly = false;
        if (line.Words.Count == 0 || line.Words[0].StartsWith('#'))
        {
            throw line.Error("no port", "write `listener PORT [ADDRESS]`, e.g. `listener 1883`");
        }

        var portWord = line.Words[0];
        if (portWord == "0")
        {
            throw line.Error("port 0 is a Unix socket in Mosquitto, which is not supported yet", "use a TCP port, e.g. `listener 1883 127.0.0.1`");
        }

        if (!ConfLine.TryParsePort(portWord, out var port))
        {
            throw line.Error($"'{portWord}' is not a port", "use 1..65535, e.g. `listener 1883`");
        }

        string? address = null;
        if (line.Words.Count > 1 && !line.Words[1].StartsWith('#'))
        {
            address = CheckHost(line, line.Words[1]);
            line.ExpectNoMoreWords(2, "PORT [ADDRESS]");
        }

        var listener = ConfListener.Create(line, port, address);
        var taken = state.Listeners.FirstOrDefault(listener.Overlaps);
        if (taken is not null)
        {
            throw line.Error($"{listener.Describe()} binds the same port as {taken.Describe()} at {taken.DeclaredAt!.Where} (Mosquitto fails with \"Address already in use\")",
                "remove one of them, or give each its own port or address");
        }

        state.Listeners.Add(listener);
        state.CurrentListener = listener;
    }

    /// <summary><c>port N</c> (deprecated): the default listener's port, whatever listener is current.</summary>
    private static void Port(ConfState state, ConfLine line)
    {
        state.LocalOnly = false;
        var word = line.Word("PORT");
        if (!ConfLine.TryParsePort(word, out var port))
        {
            throw line.Error($"'{word}' is not a port", "use 1..65535");
        }

        var listener = state.DefaultListener;
        if (listener.DeclaredAt?.Key == "port")
        {
            state.Warn(line, $"the default listener's port is given again (first at {listener.DeclaredAt.Where}); the last one, {port}, is used, as in Mosquitto");
        }

        listener.Port = port;
        listener.DeclaredAt = line;
        state.Warn(line, "is deprecated in Mosquitto 2.0; `listener PORT` says the same");
    }

    /// <summary><c>bind_address ADDRESS</c> (deprecated): the default listener's address, whatever listener is current.</summary>
    private static void BindAddress(ConfState state, ConfLine line)
    {
        state.LocalOnly = false;
        var listener = state.DefaultListener;
        listener.Address = CheckHost(line, OnceText(state, line, listener));
        listener.DeclaredAt ??= line;
        state.Warn(line, "is deprecated in Mosquitto 2.0; `listener PORT ADDRESS` says the same");
    }

    private static ConfTls TlsOption(ConfState state, ConfLine line)
    {
        var tls = state.ListenerFor(line).Tls;
        tls.FirstLine ??= line;
        return tls;
    }

    /// <summary>A TLS switch needs certfile and keyfile only when it is turned on (false is every listener's default).</summary>
    private static ConfTls TlsSwitch(ConfState state, ConfLine line) => line.Boolean() ? TlsOption(state, line) : state.ListenerFor(line).Tls;

    private static string OnceText(ConfState state, ConfLine line, object scope)
    {
        state.Once(line, scope);
        return line.Text();
    }

    /// <summary>An IP address or a host name; Mosquitto resolves names when it binds, and so must the listener.</summary>
    private static string CheckHost(ConfLine line, string host) => Uri.CheckHostName(host) == UriHostNameType.Unknown
        ? throw line.Error($"'{host}' is not an IP address or host name", "use an address such as 127.0.0.1, ::1 or 0.0.0.0, or a host name")
        : host;
}

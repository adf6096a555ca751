namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// The checks Mosquitto makes once everything is read (and the ones where it would fail later, or silently do something
/// else), then the configuration keys: listeners, security, broker limits, persistence, logging and bridges.
/// </summary>
internal static class ConfOutput
{
    public static MosquittoConfiguration Build(ConfState state)
    {
        var listeners = Listeners(state);
        var localOnly = listeners.Count == 0;
        if (localOnly)
        {
            listeners.Add(LocalOnlyListener(state));
        }

        NameListeners(listeners);
        foreach (var listener in listeners)
        {
            listener.Tls.Validate(listener.Describe());
        }

        ValidateBridges(state);

        var values = new ConfValues();
        values.Set("Listeners:Mqtt:Enabled", false);
        values.Set("Listeners:WebSocket:Enabled", false);
        values.Set("Listeners:Http:Enabled", false);
        for (var i = 0; i < listeners.Count; i++)
        {
            listeners[i].WriteTo(values, $"Listeners:Endpoints:{i}");
        }

        WriteSecurity(state, listeners, localOnly, values);
        state.Broker.WriteTo(values, state.BaseFolder);
        state.Logging.WriteTo(values);
        for (var i = 0; i < state.Bridges.Count; i++)
        {
            state.Bridges[i].WriteTo(values, $"Bridges:{i}");
        }

        return new MosquittoConfiguration(values.Values, state.Warnings, state.Files, values.Origins);
    }

    /// <summary>The file's listeners, Mosquitto's default listener last (it is added last there too) when <c>port</c>
    /// or <c>bind_address</c> declares it. Options meant for an undeclared default listener are refused: Mosquitto
    /// either ignores them or opens port 1883 on every interface for them, and neither is what the line meant.</summary>
    private static List<ConfListener> Listeners(ConfState state)
    {
        var listeners = new List<ConfListener>(state.Listeners);
        var defaultListener = state.DefaultListener;
        if (defaultListener.DeclaredAt is null)
        {
            if (defaultListener.FirstOptionLine is { } orphan)
            {
                throw orphan.Error(
                    "comes before any `listener` line of its file, so Mosquitto applies it to its default listener (port 1883), which this configuration does not declare with `port`",
                    "move it after the `listener` line it is meant for, or add `port 1883` to open the default listener");
            }

            return listeners;
        }

        var taken = listeners.FirstOrDefault(defaultListener.Overlaps);
        if (taken is not null)
        {
            throw defaultListener.DeclaredAt.Error(
                $"the default listener (port {defaultListener.Port}) binds the same port as {taken.Describe()} at {taken.DeclaredAt!.Where} (Mosquitto fails with \"Address already in use\")",
                "remove the port/bind_address lines or that listener, or give them different ports");
        }

        if (state.PerListenerSettings && defaultListener.Security.AllowAnonymous is null)
        {
            state.Warn(defaultListener.DeclaredAt,
                "the default listener refuses anonymous clients here, as Mosquitto 2.0 documents; Mosquitto 2.0.11 itself lets them in on it when per_listener_settings is true: add `allow_anonymous true` after `port` to keep that");
        }

        listeners.Add(defaultListener);
        return listeners;
    }

    /// <summary>Mosquitto's local-only mode: no listener, port or bind_address line means port 1883 on this machine only
    /// (127.0.0.1 and ::1, written as "localhost") with anonymous clients let in.</summary>
    private static ConfListener LocalOnlyListener(ConfState state)
    {
        if (state.GlobalSecurity is { AllowAnonymous: false, AllowAnonymousLine: { } line })
        {
            throw line.Error(
                "without a `listener` line Mosquitto starts in local-only mode and lets anonymous clients in whatever this line says",
                "add a listener (e.g. `listener 1883`) so that allow_anonymous false applies");
        }

        state.Warnings.Add($"{state.Files[0]}: no listener, port or bind_address: local-only mode as in Mosquitto 2.0, port {ConfListener.DefaultPort} on this machine only, anonymous clients allowed");
        var listener = ConfListener.CreateDefault();
        listener.Address = "localhost";
        return listener;
    }

    /// <summary>"listener-PORT" (per_listener_settings keys the security of each listener by it), "-2", "-3" ... for
    /// further listeners on the same port, "default" for Mosquitto's default listener. Names never contain ':', the
    /// configuration's path separator.</summary>
    private static void NameListeners(List<ConfListener> listeners)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var listener in listeners)
        {
            var name = listener.IsDefault ? "default" : $"listener-{listener.Port}";
            for (var n = 2; !used.Add(name); n++)
            {
                name = $"listener-{listener.Port}-{n}";
            }

            listener.Name = name;
        }
    }

    private static void ValidateBridges(ConfState state)
    {
        var localIds = new Dictionary<string, ConfBridge>(StringComparer.Ordinal);
        foreach (var bridge in state.Bridges)
        {
            bridge.Validate();
            if (!localIds.TryAdd(bridge.EffectiveLocalClientId, bridge))
            {
                throw bridge.ConnectionLine.Error(
                    $"bridge '{bridge.Name}' would use the local client id '{bridge.EffectiveLocalClientId}' of bridge '{localIds[bridge.EffectiveLocalClientId].Name}' (Mosquitto refuses this too)",
                    "set a different local_clientid (or remote_clientid) for one of them");
            }
        }
    }

    private static void WriteSecurity(ConfState state, List<ConfListener> listeners, bool localOnly, ConfValues values)
    {
        if (!state.PerListenerSettings)
        {
            state.GlobalSecurity.WriteTo(values, "Security:Default", localOnly);
            foreach (var listener in listeners.Where(l => l.Tls.UsesCertificateUsername))
            {
                // The security library takes a listener's entry instead of Default, so the entry repeats Default.
                state.GlobalSecurity.WriteTo(values, $"Security:Listeners:{listener.Name}", localOnly, listener.Tls);
            }

            return;
        }

        values.Set("Security:Default:AllowAnonymous", localOnly);
        foreach (var listener in listeners)
        {
            listener.Security.WriteTo(values, $"Security:Listeners:{listener.Name}", localOnly, listener.Tls);
        }
    }
}

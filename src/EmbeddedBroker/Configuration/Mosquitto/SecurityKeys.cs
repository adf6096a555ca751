namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>per_listener_settings, allow_anonymous, password_file and acl_file.</summary>
internal static class SecurityKeys
{
    public static void Register(IDictionary<string, KeyHandler> handlers)
    {
        handlers["per_listener_settings"] = PerListenerSettings;
        handlers["allow_anonymous"] = (state, line) =>
        {
            var security = state.SecurityFor(line);
            security.AllowAnonymous = line.Boolean();
            security.AllowAnonymousLine = line;
        };
        handlers["password_file"] = (state, line) =>
        {
            var security = state.SecurityFor(line);
            state.Once(line, security);
            security.PasswordFile = state.ResolvePath(line.Text());
            security.PasswordFileLine = line;
        };
        handlers["acl_file"] = (state, line) =>
        {
            var security = state.SecurityFor(line);
            state.Once(line, security);
            security.AclFile = state.ResolvePath(line.Text());
            security.AclFileLine = line;
        };
    }

    /// <summary>Mosquitto refuses <c>per_listener_settings true</c> after a security option (the option has already
    /// gone to the whole broker); turning it off again later would silently drop the listeners' own settings, so any
    /// change after the first security option is refused.</summary>
    private static void PerListenerSettings(ConfState state, ConfLine line)
    {
        var value = line.Boolean();
        if (value != state.PerListenerSettings && state.FirstSecurityLine is { } first)
        {
            throw line.Error($"must come before any other security option (the first is {first.Key} at {first.Where})",
                "move per_listener_settings to the top of the main file");
        }

        state.PerListenerSettings = value;
    }
}

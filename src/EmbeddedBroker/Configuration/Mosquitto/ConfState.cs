namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// What has been read so far, with Mosquitto's scoping: listener options go to the latest <c>listener</c> of the
/// current file (before any, to the default listener), bridge options to the latest <c>connection</c> of the current
/// file (a <c>listener</c> line does not end a bridge, nor a <c>connection</c> line a listener), and security options to
/// the whole broker, or to the current listener when per_listener_settings is true. Each included file starts again
/// at the default listener and outside any bridge, as in Mosquitto.
/// </summary>
internal sealed class ConfState(string mainFile)
{
    private readonly Dictionary<(object Scope, string Key), ConfLine> onceLines = [];

    /// <summary>Relative paths in the file are resolved against the main file's folder (Mosquitto uses its working
    /// directory; see docs/mosquitto-conf.md).</summary>
    public string BaseFolder { get; } = Path.GetDirectoryName(Path.GetFullPath(mainFile)) ?? Directory.GetCurrentDirectory();

    public ConfListener DefaultListener { get; } = ConfListener.CreateDefault();

    public List<ConfListener> Listeners { get; } = [];

    public List<ConfBridge> Bridges { get; } = [];

    public ConfSecurity GlobalSecurity { get; } = new();

    public ConfBroker Broker { get; } = new();

    public ConfLogging Logging { get; } = new();

    public List<string> Warnings { get; } = [];

    public List<string> Files { get; } = [];

    public bool PerListenerSettings { get; set; }

    /// <summary>The first security option, after which per_listener_settings may no longer change.</summary>
    public ConfLine? FirstSecurityLine { get; private set; }

    /// <summary>True until a listener, port or bind_address line: Mosquitto's local-only mode (127.0.0.1 and ::1,
    /// anonymous clients let in).</summary>
    public bool LocalOnly { get; set; } = true;

    public ConfListener CurrentListener { get; set; } = null!;

    public ConfBridge? CurrentBridge { get; set; }

    /// <summary>Called at the start of each file: the scopes do not carry over from one file to the next.</summary>
    public void StartFile(string fullPath)
    {
        Files.Add(fullPath);
        CurrentListener = DefaultListener;
        CurrentBridge = null;
    }

    /// <summary>The listener a listener option applies to; remembers when that is the default listener, which must
    /// then be declared (checked at the end).</summary>
    public ConfListener ListenerFor(ConfLine line)
    {
        if (ReferenceEquals(CurrentListener, DefaultListener))
        {
            DefaultListener.FirstOptionLine ??= line;
        }

        return CurrentListener;
    }

    public ConfSecurity SecurityFor(ConfLine line)
    {
        FirstSecurityLine ??= line;
        return PerListenerSettings ? ListenerFor(line).Security : GlobalSecurity;
    }

    public ConfBridge BridgeFor(ConfLine line) => CurrentBridge ?? throw line.Error(
        "is a bridge option, but no `connection NAME` line comes before it in this file (each included file starts outside any bridge)",
        "put it after the `connection` line of its bridge");

    /// <summary>Mosquitto refuses a string option given twice in the same scope ("Duplicate ... value");
    /// <paramref name="option"/> names the option when two keys are spellings of one (username, remote_username).</summary>
    public void Once(ConfLine line, object scope, string? option = null)
    {
        var key = (scope, option ?? line.Key);
        if (onceLines.TryGetValue(key, out var first))
        {
            throw line.Error($"given twice (first at {first.Where}, as {first.Key}); Mosquitto refuses a duplicate value", "keep one of the two lines");
        }

        onceLines[key] = line;
    }

    /// <summary>A file or folder path: relative paths are taken from the main configuration file's folder.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(Path.Combine(BaseFolder, path));

    public void Warn(ConfLine line, string message) => Warnings.Add($"{line.Where}: {line.Key}: {message}");
}

using System.Collections.Frozen;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// Reads a Mosquitto 2.0 configuration file (mosquitto.conf(5), parsed as Mosquitto 2.0.11's src/conf.c does) into
/// this application's configuration keys. Every line either maps to keys, is a no-op stated as such, or stops with
/// <c>FILE:LINE: KEY: what is wrong; what to do</c>: unknown keys (with the closest known key) and Mosquitto keys that
/// are not supported yet are never skipped. The mapping is documented key by key in docs/mosquitto-conf.md.
/// </summary>
public static class MosquittoConfigurationReader
{
    private const string IncludeDir = "include_dir";

    private static readonly FrozenDictionary<string, KeyHandler> Handlers = CreateHandlers();

    /// <summary>Every key of Mosquitto 2.0 this reader knows (mapped, accepted or refused), plus include_dir;
    /// auth_opt_* and plugin_opt_* are known by prefix (<see cref="KnownKeyPrefixes"/>).</summary>
    public static IReadOnlyCollection<string> KnownKeys { get; } = [.. Handlers.Keys.Append(IncludeDir).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> KnownKeyPrefixes => RefusedKeys.Prefixes;

    /// <summary>The keys that map to configuration keys (the others are refused or accepted as no-ops).</summary>
    public static IReadOnlyCollection<string> MappedKeys { get; } =
        [.. KnownKeys.Where(key => !RefusedKeys.All.ContainsKey(key)).Order(StringComparer.Ordinal)];

    /// <summary>Reads <paramref name="path"/> and the files its include_dir lines name.</summary>
    /// <exception cref="MosquittoConfigurationException">The file cannot be used; the message says where and why.</exception>
    public static MosquittoConfiguration Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var state = new ConfState(fullPath);
        ReadFile(state, path, fullPath, isMain: true);
        return ConfOutput.Build(state);
    }

    private static void ReadFile(ConfState state, string displayName, string fullPath, bool isMain)
    {
        state.StartFile(fullPath);
        foreach (var line in ConfFile.ReadLines(displayName, fullPath))
        {
            if (line.Key == IncludeDir)
            {
                Include(state, line, isMain, fullPath);
            }
            else if (Handlers.TryGetValue(line.Key, out var handler))
            {
                handler(state, line);
            }
            else if (RefusedKeys.Prefixes.Any(prefix => line.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                throw RefusedKeys.PluginOption(line);
            }
            else
            {
                throw Unknown(line);
            }
        }
    }

    /// <summary>include_dir: every file of the folder whose name ends in ".conf", in Mosquitto's order, each read as if
    /// it stood here (but starting at the default listener and outside any bridge). Mosquitto reads include_dir in the
    /// main file only and skips it without a word elsewhere; here it is refused elsewhere.</summary>
    private static void Include(ConfState state, ConfLine line, bool isMain, string mainFile)
    {
        if (!isMain)
        {
            throw line.Error("is read from the main configuration file only (Mosquitto ignores it in an included file)",
                "move the line to the main file");
        }

        var written = line.Text();
        var folder = state.ResolvePath(written);
        if (!Directory.Exists(folder))
        {
            throw line.Error($"the folder {folder} does not exist", "create it or correct the path (a relative path starts at the main file's folder)");
        }

        var (listener, bridge) = (state.CurrentListener, state.CurrentBridge);
        foreach (var file in IncludedFiles(line, folder, mainFile))
        {
            ReadFile(state, Path.Combine(written, Path.GetFileName(file)), file, isMain: false);
        }

        (state.CurrentListener, state.CurrentBridge) = (listener, bridge);
    }

    private static List<string> IncludedFiles(ConfLine line, string folder, string mainFile)
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw line.Error($"the folder {folder} cannot be read ({ex.Message})", "check its permissions");
        }

        var files = new List<string>();
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            if (name.Length <= ".conf".Length || !name.EndsWith(".conf", StringComparison.Ordinal))
            {
                continue;
            }

            if (Directory.Exists(entry))
            {
                throw line.Error($"{entry} is a folder, and Mosquitto reads every *.conf entry of include_dir as a file", "rename or move that folder");
            }

            if (string.Equals(Path.GetFullPath(entry), mainFile, StringComparison.Ordinal))
            {
                throw line.Error($"the folder holds the main configuration file {name} (Mosquitto forbids this)", "move the main file out of that folder");
            }

            files.Add(entry);
        }

        files.Sort((a, b) => IncludeOrder.Compare(Path.GetFileName(a), Path.GetFileName(b)));
        return files;
    }

    private static MosquittoConfigurationException Unknown(ConfLine line)
    {
        var suggestion = KeySuggestion.Closest(line.Key, KnownKeys);
        return suggestion is null
            ? line.Error("not a Mosquitto 2.0 configuration key", "check the spelling; docs/mosquitto-conf.md lists every key")
            : line.Error("not a Mosquitto 2.0 configuration key", $"did you mean {suggestion}? (keys are lower case)");
    }

    private static FrozenDictionary<string, KeyHandler> CreateHandlers()
    {
        var handlers = new Dictionary<string, KeyHandler>(StringComparer.Ordinal);
        ListenerKeys.Register(handlers);
        SecurityKeys.Register(handlers);
        BrokerKeys.Register(handlers);
        PersistenceKeys.Register(handlers);
        LoggingKeys.Register(handlers);
        BridgeKeys.Register(handlers);
        RefusedKeys.Register(handlers);
        return handlers.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

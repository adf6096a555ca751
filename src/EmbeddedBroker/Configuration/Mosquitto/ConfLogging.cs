namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// log_type and log_dest, which accumulate over the file as in Mosquitto (each line adds one type or destination;
/// <c>none</c> clears the list), written as Serilog settings: the lowest level any listed type needs becomes
/// Serilog:MinimumLevel:Default, and each destination one Serilog:WriteTo entry.
/// </summary>
internal sealed class ConfLogging
{
    /// <summary>The category of the per-packet log (<c>mosquitto -v</c>'s lines), on at Debug.</summary>
    public const string PacketCategory = "EmbeddedBroker.Broker.Packets";

    // The same layout as the console sink the program adds when no sink is configured.
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    private readonly List<string> types = [];
    private readonly List<string> destinations = [];
    private bool typesSet;
    private bool destinationsSet;

    /// <summary>The log file of <c>log_dest file PATH</c>, resolved to a full path.</summary>
    public string? File { get; private set; }

    public ConfLine? FileLine { get; private set; }

    public ConfLine? DestinationLine { get; private set; }

    public void AddType(string type)
    {
        typesSet = true;
        if (type == "none")
        {
            types.Clear();
        }
        else
        {
            types.Add(type);
        }
    }

    public void AddDestination(ConfLine line, string destination, string? file = null)
    {
        destinationsSet = true;
        DestinationLine = line;
        if (destination == "none")
        {
            destinations.Clear();
            return;
        }

        if (file is not null)
        {
            File = file;
            FileLine = line;
        }

        if (!destinations.Contains(destination))
        {
            destinations.Add(destination);
        }
    }

    public void WriteTo(ConfValues values)
    {
        if (typesSet)
        {
            var level = MinimumLevel();
            values.Set("Serilog:MinimumLevel:Default", level);
            if (types.Contains("all") || types.Contains("debug"))
            {
                values.Set($"Serilog:MinimumLevel:Override:{PacketCategory}", "Debug");
            }
            else if (level == "Debug")
            {
                // internal or websockets without debug: details, but not the packet lines (written at Debug).
                values.Set($"Serilog:MinimumLevel:Override:{PacketCategory}", "Information");
            }
        }

        if (!destinationsSet)
        {
            return; // EmbeddedBroker's default: the console (standard output)
        }

        if (destinations.Count == 0)
        {
            throw DestinationLine!.Error("the last log_dest is none, so nothing would be logged",
                "EmbeddedBroker always logs somewhere: keep a destination (stdout, stderr or file PATH) and quieten it with `log_type error`");
        }

        var sink = 0;
        values.Set("Serilog:Using:0", "Serilog.Sinks.Console");
        if (File is not null && destinations.Contains("file"))
        {
            values.Set("Serilog:Using:1", "Serilog.Sinks.File");
        }

        foreach (var destination in destinations)
        {
            var prefix = $"Serilog:WriteTo:{sink++}";
            switch (destination)
            {
                case "stdout":
                    values.Set($"{prefix}:Name", "Console");
                    values.Set($"{prefix}:Args:outputTemplate", ConsoleTemplate);
                    break;
                case "stderr":
                    values.Set($"{prefix}:Name", "Console");
                    values.Set($"{prefix}:Args:outputTemplate", ConsoleTemplate);
                    values.Set($"{prefix}:Args:standardErrorFromLevel", "Verbose");
                    break;
                default:
                    values.Set($"{prefix}:Name", "File");
                    values.Set($"{prefix}:Args:path", File!);
                    values.Set($"{prefix}:Args:outputTemplate", FileTemplate);
                    break;
            }
        }
    }

    /// <summary>Serilog has one threshold where Mosquitto has a set of types: the lowest listed type wins.
    /// No type at all (log_type none) keeps only fatal errors, Serilog's quietest level.</summary>
    private string MinimumLevel()
    {
        if (types.Any(t => t is "all" or "debug" or "internal" or "websockets"))
        {
            return "Debug";
        }

        if (types.Any(t => t is "information" or "notice" or "subscribe" or "unsubscribe"))
        {
            return "Information";
        }

        if (types.Contains("warning"))
        {
            return "Warning";
        }

        return types.Contains("error") ? "Error" : "Fatal";
    }
}

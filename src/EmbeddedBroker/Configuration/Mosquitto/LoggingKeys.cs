namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>log_type and log_dest. Mosquitto reads one word per line and ignores the rest
/// (<c>log_type error warning</c> logs errors only); here a second word is refused.</summary>
internal static class LoggingKeys
{
    private static readonly HashSet<string> Types =
        ["none", "information", "notice", "warning", "error", "debug", "subscribe", "unsubscribe", "internal", "websockets", "all"];

    public static void Register(IDictionary<string, KeyHandler> handlers)
    {
        handlers["log_type"] = LogType;
        handlers["log_dest"] = LogDestination;
    }

    private static void LogType(ConfState state, ConfLine line)
    {
        if (line.Words.Count == 0)
        {
            throw line.Error("no value", "write `log_type TYPE` (error, warning, notice, information, debug, subscribe, unsubscribe, websockets, all or none)");
        }

        line.ExpectOneValuePerLine();
        var type = line.Words[0];
        if (!Types.Contains(type))
        {
            throw line.Error($"'{type}' is not a log type", "use error, warning, notice, information, debug, subscribe, unsubscribe, websockets, all or none");
        }

        state.Logging.AddType(type);
    }

    private static void LogDestination(ConfState state, ConfLine line)
    {
        if (line.Words.Count == 0)
        {
            throw line.Error("no value", "write `log_dest stdout`, `log_dest stderr` or `log_dest file PATH`");
        }

        var destination = line.Words[0];
        switch (destination)
        {
            case "stdout" or "stderr" or "none":
                line.ExpectOneValuePerLine();
                state.Logging.AddDestination(line, destination);
                break;
            case "file":
                if (state.Logging.FileLine is { } first)
                {
                    throw line.Error($"a log file is already given at {first.Where} (Mosquitto allows one)", "keep one `log_dest file PATH` line");
                }

                state.Logging.AddDestination(line, destination, state.ResolvePath(line.TextAfterFirstWord()));
                break;
            case "syslog" or "topic" or "dlt":
                throw line.Error($"logging to {destination} is not supported yet", "use stdout, stderr or file PATH (under systemd, stdout goes to the journal)");
            default:
                throw line.Error($"'{destination}' is not a log destination", "use stdout, stderr or file PATH");
        }
    }
}

namespace EmbeddedBroker.Bridges.Options;

/// <summary>The file name of a bridge's out-queue: "bridge-NAME.db", characters a file name cannot hold replaced by '_'.</summary>
public static class QueueFileName
{
    public static string For(string bridgeName)
    {
        ArgumentNullException.ThrowIfNull(bridgeName);
        var safe = bridgeName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return $"bridge-{new string(safe)}.db";
    }
}

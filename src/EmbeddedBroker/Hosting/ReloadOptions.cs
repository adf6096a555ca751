namespace EmbeddedBroker.Hosting;

/// <summary>Section "Reload": what besides SIGHUP reloads the password, ACL and TLS files.</summary>
public sealed class ReloadOptions
{
    public const string SectionName = "Reload";

    /// <summary>Watch the files and reload once they change (default). Off: SIGHUP only, as Mosquitto.</summary>
    public bool WatchFiles { get; set; } = true;

    /// <summary>How long the files must be quiet after a change before they are read (editors write in several steps).</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMilliseconds(500);
}

namespace EmbeddedBroker.LiveConsole;

/// <summary>Section "Console": the live message display and the `q` key.</summary>
public sealed class LiveConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>--no-console sets false. Even when true, the console stays off when output is not a terminal
    /// (Docker without -t, CI, systemd) and the `q` key is not read when input is not a terminal.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Message lines shown per second at most; beyond that, one summary line per second counts the rest.</summary>
    public int MaxLinesPerSecond { get; set; } = 20;

    /// <summary>Seconds between two status lines (clients, msg/s, recorded, dropped).</summary>
    public double StatusIntervalSeconds { get; set; } = 10;

    /// <summary>Characters of payload shown per message line.</summary>
    public int PayloadPreviewLength { get; set; } = 60;
}

using System.Globalization;
using System.Text;
using EmbeddedBroker.Fuzzing;

namespace EmbeddedBroker.Fuzz;

/// <summary>What the long run measured, as the markdown docs/robustness.md quotes.</summary>
internal sealed class LongRunReport
{
    private readonly List<(long Packets, double Seconds, double? RssMiB)> _samples = [];

    public double? RssBeforeMiB { get; set; }
    public double? RssAfterMiB { get; set; }
    public double? RssPeakMiB { get; private set; }
    public FuzzReport? Fuzz { get; set; }
    public (int Published, int Received, int OutOfOrder, string? Failure) Canary { get; set; }
    public string CanaryLatency { get; set; } = "";
    public string? BrokerAfter { get; set; }
    public bool BrokerAlive { get; set; } = true;
    public string? Crash { get; set; }
    public double Seconds { get; set; }

    public bool Passed => Crash is null && BrokerAlive && Fuzz is { ViolationCount: 0 }
        && Canary.Failure is null && Canary.Received == Canary.Published && Canary.OutOfOrder == 0;

    public void Sample(long packets, double seconds, double? rss)
    {
        lock (_samples)
        {
            _samples.Add((packets, seconds, rss));
            if (rss > (RssPeakMiB ?? 0))
                RssPeakMiB = rss;
        }
    }

    public string ToMarkdown(LongRunOptions options)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"## Long fuzz run: seed {options.Seed}, {options.Packets:N0} packets, {options.Parallelism} connections at a time");
        text.AppendLine();
        text.AppendLine(c, $"- result: {(Passed ? "passed" : "FAILED")}{(Crash is null ? "" : $" ({Crash})")}; broker process {(BrokerAlive ? "alive" : "GONE")} after the run");
        if (Fuzz is { } fuzz)
        {
            text.AppendLine(c, $"- {fuzz.Packets:N0} packets ({fuzz.Mutated:N0} malformed or mutated) on {fuzz.Sessions:N0} connections in {Seconds:0} s; {fuzz.ViolationCount} violations; {fuzz.Resets:N0} connections reset");
            text.AppendLine(c, $"- closes: {string.Join(", ", fuzz.Closes.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value:N0}"))}");
        }

        text.AppendLine(c, $"- canary: {Canary.Published:N0} QoS 1 messages published, {Canary.Received:N0} received, {Canary.OutOfOrder} out of order{(Canary.Failure is null ? "" : $", {Canary.Failure}")}; latency {CanaryLatency}");
        text.AppendLine(c, $"- broker RSS: {Mib(RssBeforeMiB)} before, peak {Mib(RssPeakMiB)}, {Mib(RssAfterMiB)} after; {BrokerAfter}");
        text.AppendLine();
        text.AppendLine("| packets | seconds | broker RSS |");
        text.AppendLine("|--:|--:|--:|");
        lock (_samples)
        {
            foreach (var (packets, seconds, rss) in _samples)
                text.AppendLine(c, $"| {packets:N0} | {seconds:0} | {Mib(rss)} |");
        }

        if (Fuzz is { ViolationCount: > 0 })
        {
            text.AppendLine();
            foreach (var violation in Fuzz.Violations)
                text.AppendLine("- " + violation);
        }

        return text.ToString();
    }

    private static string Mib(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " MiB" : "n/a";
}

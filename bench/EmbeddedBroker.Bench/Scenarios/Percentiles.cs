using System.Diagnostics;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>Percentiles of Stopwatch-tick samples, in microseconds (nearest-rank).</summary>
internal static class Percentiles
{
    public static double Of(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : ToMicroseconds(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)]);

    public static double ToMicroseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;
}

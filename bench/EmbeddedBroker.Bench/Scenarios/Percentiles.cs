using System.Diagnostics;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>Percentiles of Stopwatch-tick samples, in microseconds (nearest-rank).</summary>
internal static class Percentiles
{
    public static double Of(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : ToMicroseconds(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)]);

    public static double ToMicroseconds(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;

    /// <summary>Sorts <paramref name="samples"/> and adds samples, p50Us, p90Us, p99Us, p999Us and maxUs.</summary>
    public static BenchResult Report(BenchResult result, long[] samples)
    {
        Array.Sort(samples);
        return result.Set("samples", samples.Length)
            .Set("p50Us", Of(samples, 0.50))
            .Set("p90Us", Of(samples, 0.90))
            .Set("p99Us", Of(samples, 0.99))
            .Set("p999Us", Of(samples, 0.999))
            .Set("maxUs", samples.Length == 0 ? 0 : ToMicroseconds(samples[^1]));
    }
}

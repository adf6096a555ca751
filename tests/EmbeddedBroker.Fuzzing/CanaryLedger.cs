using System.Diagnostics;
using System.Globalization;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// The bookkeeping of a canary pair, whichever client carries it (in-memory in the tests, TCP in the long run): what
/// message n says ("n timestamp"), and on arrival whether it came in order and how long it took. Thread-safe.
/// </summary>
public sealed class CanaryLedger
{
    public const string Topic = "canary/live";

    /// <summary>What the canary subscribes to; fuzz messages may land under it too, and are skipped by topic.</summary>
    public const string Filter = "canary/#";

    private readonly List<double> _latencies = [];
    private int _received;
    private int _outOfOrder;

    public int Received => Volatile.Read(ref _received);

    public int OutOfOrder => Volatile.Read(ref _outOfOrder);

    public static string Payload(int sequence) => string.Create(CultureInfo.InvariantCulture, $"{sequence} {Stopwatch.GetTimestamp()}");

    /// <summary>Counts a canary message and its latency; false when it is not the one expected next (lost,
    /// duplicated or reordered), with the numbers for the report.</summary>
    public bool Arrived(string payload, out int sequence, out int expected)
    {
        var parts = payload.Split(' ');
        sequence = int.Parse(parts[0], CultureInfo.InvariantCulture);
        expected = Received;
        lock (_latencies)
            _latencies.Add(Stopwatch.GetElapsedTime(long.Parse(parts[1], CultureInfo.InvariantCulture)).TotalMilliseconds);
        Interlocked.Increment(ref _received);
        if (sequence == expected)
            return true;
        Interlocked.Increment(ref _outOfOrder);
        return false;
    }

    public string Latency()
    {
        lock (_latencies)
        {
            if (_latencies.Count == 0)
                return "no samples";
            var sorted = _latencies.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"p50 {sorted[sorted.Count / 2]:0.0} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:0.0} ms, max {sorted[^1]:0.0} ms");
        }
    }

    public double MaximumLatencyMs()
    {
        lock (_latencies)
            return _latencies.Count == 0 ? 0 : _latencies.Max();
    }
}

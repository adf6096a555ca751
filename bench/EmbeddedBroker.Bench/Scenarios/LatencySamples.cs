using System.Buffers.Binary;
using System.Diagnostics;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// End-to-end latencies of messages whose payload starts with their send time (Stopwatch ticks, little endian),
/// recorded on the subscriber while <see cref="Measuring"/> is set, reported as percentiles in microseconds.
/// </summary>
internal sealed class LatencySamples(int capacity)
{
    private readonly List<long> _samples = new(capacity);
    private volatile bool _measuring;

    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }

    public void Record(MqttReceivedMessage message)
    {
        var elapsed = Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(message.Payload.Span);
        if (_measuring)
        {
            lock (_samples)
            {
                _samples.Add(elapsed);
            }
        }
    }

    /// <summary>samples, p50Us, p90Us, p99Us, p999Us, maxUs.</summary>
    public void Report(BenchResult result)
    {
        long[] samples;
        lock (_samples)
        {
            samples = [.. _samples];
        }

        Percentiles.Report(result, samples);
    }
}

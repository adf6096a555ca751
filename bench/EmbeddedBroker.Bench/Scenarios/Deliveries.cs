using System.Diagnostics;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>Counting what subscribers receive, shared by the scenarios that report delivered msg/s.</summary>
internal static class Deliveries
{
    /// <param name="inspect">Called for each message before it is counted (exactly-once ledger, subscription id check).</param>
    public static async Task CountAsync(MqttClient client, Counter received, Action<MqttReceivedMessage>? inspect = null)
    {
        var messages = client.Messages;
        while (await messages.WaitToReadAsync())
        {
            while (messages.TryRead(out var message))
            {
                inspect?.Invoke(message);
                received.Increment();
            }
        }
    }

    /// <summary>After the publishers stopped, wait for in-flight deliveries to arrive (or the quiet period to prove none will).</summary>
    public static async Task WaitUntilQuietAsync(Counter[] received, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var last = Sum(received);
        while (clock.Elapsed < limit)
        {
            await Task.Delay(250);
            var now = Sum(received);
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }

    public static long Sum(Counter[] counters) => counters.Sum(c => c?.Value ?? 0);
}

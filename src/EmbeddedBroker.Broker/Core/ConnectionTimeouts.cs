using System.Collections.Concurrent;
using EmbeddedBroker.Broker.Connections;

namespace EmbeddedBroker.Broker.Core;

/// <summary>
/// One timer for every connection's read deadline (connect timeout, keep-alive, partial packets) instead of a timer
/// per connection: every <see cref="Resolution"/> it compares each connection's <see cref="ReadDeadline.DueAt"/> with
/// the clock and closes those past it. A packet costs the read loop two field writes instead of re-arming a timer, and
/// an idle connection holds no timer at all. Scanning 100,000 connections takes about a millisecond.
/// </summary>
internal sealed class ConnectionTimeouts(ConcurrentDictionary<MqttConnection, Task> connections)
{
    /// <summary>How late a deadline may be noticed: keep-alive is enforced at 1.5 x the interval plus at most this.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(200);

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Resolution);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var (connection, _) in connections)
                {
                    if (connection.Deadline.DueAt <= now)
                        connection.Expire();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Broker stopping.
        }
    }
}

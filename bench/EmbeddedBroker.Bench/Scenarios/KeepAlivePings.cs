using EmbeddedBroker.Bench.Wire;
using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Bench.Scenarios;

/// <summary>
/// Keep-alive traffic over idle connections: one pacer sends PINGREQ on each connection in turn, so that every
/// connection pings once per interval, evenly staggered, for the hold time; each PINGREQ must get its PINGRESP within
/// <see cref="AnswerTimeout"/>. A connection whose previous ping is still unanswered is not pinged again (late), nor
/// one the broker closed (counted once).
/// </summary>
internal sealed class KeepAlivePings
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] PingReq = [0xC0, 0x00];
    private const int Ready = 0;
    private const int Waiting = 1;
    private const int Closed = 2;

    private double _intervalSeconds;

    private long _sent;
    private long _answered;
    private long _unanswered;
    private long _closed;
    private long _late;

    public static async Task<KeepAlivePings> RunAsync(IReadOnlyList<WireConnection> connections, double intervalSeconds, TimeSpan hold, CancellationToken cancellationToken)
    {
        var pings = new KeepAlivePings { _intervalSeconds = intervalSeconds };
        var states = new int[connections.Count];
        var outstanding = new List<Task>();
        using var holding = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        holding.CancelAfter(hold);
        if (connections.Count > 0)
        {
            var pacer = new Pacer(connections.Count / intervalSeconds);
            try
            {
                for (var next = 0; ; next = (next + 1) % connections.Count)
                {
                    await pacer.WaitForNextAsync(holding.Token);
                    var state = Interlocked.CompareExchange(ref states[next], Waiting, Ready);
                    if (state != Ready)
                    {
                        pings._late += state == Waiting ? 1 : 0;
                        continue;
                    }

                    var index = next;
                    outstanding.Add(pings.PingAsync(connections[index], closed => Volatile.Write(ref states[index], closed ? Closed : Ready), cancellationToken));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The hold time is over.
            }
        }

        await Task.WhenAll(outstanding);
        return pings;
    }

    private async Task PingAsync(WireConnection connection, Action<bool> done, CancellationToken cancellationToken)
    {
        var closed = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AnswerTimeout);
            await connection.SendAsync(PingReq, timeout.Token);
            Interlocked.Increment(ref _sent);
            if (await connection.ReceiveAsync(timeout.Token) is PingRespPacket)
            {
                Interlocked.Increment(ref _answered);
            }
            else
            {
                Interlocked.Increment(ref _unanswered);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _unanswered);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Net.Sockets.SocketException)
        {
            Interlocked.Increment(ref _closed);
            closed = true;
        }
        finally
        {
            done(closed);
        }
    }

    /// <summary>pingsSent, pingsAnswered, pingsUnanswered, closedByBroker, pingsLate and allPingsAnswered.</summary>
    public BenchResult Report(BenchResult result) => result
        .Set("pingIntervalSeconds", _intervalSeconds)
        .Set("pingsSent", _sent)
        .Set("pingsAnswered", _answered)
        .Set("pingsUnanswered", _unanswered)
        .Set("closedByBroker", _closed)
        .Set("pingsLate", _late)
        .Set("allPingsAnswered", _sent > 0 && _answered == _sent && _closed == 0);
}

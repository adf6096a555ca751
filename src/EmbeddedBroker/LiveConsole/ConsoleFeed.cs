using System.Threading.Channels;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Broker.Hooks;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// The console's view of the publish pipeline. Runs on the publisher's thread, so it never blocks: it counts every
/// message and keeps at most MaxLinesPerSecond of them per second for display; the rest are only counted and shown
/// as one summary line. Nothing is kept when the console is off.
/// </summary>
public sealed class ConsoleFeed : IPublishObserver
{
    private readonly Channel<MqttApplicationMessage> shown;
    private readonly int maxLinesPerSecond;
    private volatile bool isActive;
    private long total;
    private long skipped;
    private long windowSecond;
    private int linesInWindow;

    public ConsoleFeed(IOptions<LiveConsoleOptions> options)
    {
        maxLinesPerSecond = Math.Max(1, options.Value.MaxLinesPerSecond);
        shown = Channel.CreateBounded<MqttApplicationMessage>(new BoundedChannelOptions(maxLinesPerSecond * 2)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }

    /// <summary>Set by the console once it knows it has a terminal to write to.</summary>
    public bool IsActive
    {
        get => isActive;
        set => isActive = value;
    }

    /// <summary>Every message seen since start (for msg/s).</summary>
    public long Total => Interlocked.Read(ref total);

    /// <summary>Messages not shown as a line since start (over the per-second budget).</summary>
    public long Skipped => Interlocked.Read(ref skipped);

    public ChannelReader<MqttApplicationMessage> Shown => shown.Reader;

    public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
    {
        if (message.Topic.StartsWith('$'))
        {
            return PublishReceipt.None; // $SYS statistics would drown the user's traffic; mosquitto_sub -t '$SYS/#' shows them.
        }

        Interlocked.Increment(ref total);
        if (!IsActive)
        {
            return PublishReceipt.None;
        }

        // A per-second line budget. Two threads racing at a second boundary may show a line or two more: harmless.
        var second = Environment.TickCount64 / 1000;
        if (Interlocked.Exchange(ref windowSecond, second) != second)
        {
            Volatile.Write(ref linesInWindow, 0);
        }

        if (Interlocked.Increment(ref linesInWindow) > maxLinesPerSecond || !shown.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref skipped);
        }

        return PublishReceipt.None;
    }
}

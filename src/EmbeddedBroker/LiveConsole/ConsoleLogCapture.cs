using Serilog.Core;
using Serilog.Events;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// The log lines while the live console is on screen: kept (the last <see cref="Capacity"/>) for its events panel
/// instead of being written over the display. Connects, disconnects and warnings thus stay out of the message table.
/// Off (and free) whenever the console is not shown: the plain console sink writes them as usual.
/// </summary>
public sealed class ConsoleLogCapture : ILogEventSink
{
    public const int Capacity = 200;

    private readonly Queue<LogEvent> events = new();
    private volatile bool capturing;
    private long version;

    public bool IsCapturing
    {
        get => capturing;
        set => capturing = value;
    }

    /// <summary>Grows with every captured event, so the display redraws only when something arrived.</summary>
    public long Version => Interlocked.Read(ref version);

    public void Emit(LogEvent logEvent)
    {
        if (!capturing)
        {
            return;
        }

        lock (events)
        {
            if (events.Count == Capacity)
            {
                events.Dequeue();
            }

            events.Enqueue(logEvent);
        }

        Interlocked.Increment(ref version);
    }

    /// <summary>The last <paramref name="count"/> events, oldest first.</summary>
    public IReadOnlyList<LogEvent> Last(int count)
    {
        lock (events)
        {
            return [.. events.Skip(Math.Max(0, events.Count - count))];
        }
    }
}

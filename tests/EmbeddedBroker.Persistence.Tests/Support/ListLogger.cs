using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Persistence.Tests.Support;

/// <summary>Keeps every log line, to assert what the store says (and how often).</summary>
internal sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> lines = new();

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. lines];

    public IEnumerable<string> At(LogLevel level) => lines.Where(l => l.Level == level).Select(l => l.Text);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lines.Enqueue((logLevel, formatter(state, exception)));
        TestContext.Progress.WriteLine($"[{logLevel}] {formatter(state, exception)}");
    }
}

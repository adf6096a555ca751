using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Tests.Harness;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every line written, to count what an abusive pattern logs.</summary>
internal sealed class CollectingLoggerFactory(LogLevel minimumLevel = LogLevel.Trace) : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Collector(_lines, minimumLevel);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Collector(ConcurrentQueue<string> lines, LogLevel minimumLevel) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }
}

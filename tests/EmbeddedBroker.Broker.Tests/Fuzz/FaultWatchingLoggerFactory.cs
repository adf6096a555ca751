using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Tests.Fuzz;

/// <summary>
/// Logs of a long fuzz run without keeping them all (their size would hide the broker's own memory): counts lines per
/// level, keeps the first errors and every distinct exception passed with any line, Debug included, where a fault
/// caught as a "transport error" would otherwise hide.
/// </summary>
internal sealed class FaultWatchingLoggerFactory : ILoggerFactory
{
    private const int Kept = 20;
    private readonly ConcurrentDictionary<LogLevel, long> _counts = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<string, string> _exceptions = new();

    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Each distinct exception type and message, with the line it came with.</summary>
    public IReadOnlyDictionary<string, string> Exceptions => _exceptions;

    public long Count(LogLevel level) => _counts.GetValueOrDefault(level);

    public ILogger CreateLogger(string categoryName) => new Watcher(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Add<TState>(LogLevel level, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _counts.AddOrUpdate(level, 1, (_, n) => n + 1);
        if (level >= LogLevel.Error && _errors.Count < Kept)
            _errors.Enqueue($"{level}: {formatter(state, exception)} {exception}");
        if (exception is not null && _exceptions.Count < Kept)
            _exceptions.TryAdd($"{exception.GetType().Name}: {exception.Message}", formatter(state, exception) + Environment.NewLine + exception);
    }

    private sealed class Watcher(FaultWatchingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                owner.Add(logLevel, state, exception, formatter);
        }
    }
}

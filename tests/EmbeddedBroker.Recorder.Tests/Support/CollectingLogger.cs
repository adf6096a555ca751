using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>Keeps the formatted error and warning messages, and the exceptions logged with them (whose stack traces
/// the log would show), so tests can check what operators would see.</summary>
internal sealed class CollectingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> errors = new();
    private readonly ConcurrentQueue<string> warnings = new();
    private readonly ConcurrentQueue<(LogLevel Level, Exception Exception)> exceptions = new();

    public IReadOnlyList<string> Errors => [.. errors];

    public IReadOnlyList<string> Warnings => [.. warnings];

    /// <summary>How many lines at <paramref name="level"/> carried an exception, thus a stack trace.</summary>
    public int WithStackTrace(LogLevel level) => exceptions.Count(entry => entry.Level == level);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is not null)
        {
            exceptions.Enqueue((logLevel, exception));
        }

        if (logLevel >= LogLevel.Error)
        {
            errors.Enqueue(formatter(state, exception));
        }
        else if (logLevel == LogLevel.Warning)
        {
            warnings.Enqueue(formatter(state, exception));
        }
    }
}

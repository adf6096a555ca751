using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>Keeps the formatted error and warning messages so tests can check what operators would see.</summary>
internal sealed class CollectingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> errors = new();
    private readonly ConcurrentQueue<string> warnings = new();

    public IReadOnlyList<string> Errors => [.. errors];

    public IReadOnlyList<string> Warnings => [.. warnings];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
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

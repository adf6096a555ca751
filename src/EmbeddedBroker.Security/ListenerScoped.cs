using System.Collections.Frozen;

namespace EmbeddedBroker.Security;

/// <summary>
/// Something loaded for each listener of <see cref="SecurityOptions"/> (a password file, an ACL policy), immutable so
/// that a reload builds a whole new one and swaps it in with one reference write: a check sees the old set or the
/// new one, never a mix.
/// </summary>
internal sealed class ListenerScoped<T>
{
    private readonly FrozenDictionary<string, T> _listeners;
    private readonly T _default;

    private ListenerScoped(T defaultValue, FrozenDictionary<string, T> listeners)
    {
        _default = defaultValue;
        _listeners = listeners;
    }

    /// <summary>Loads every listener's files; throws <see cref="SecurityFileException"/> on the first that fails.</summary>
    public static ListenerScoped<T> Load(SecurityOptions options, Func<ListenerSecurityOptions, T> load)
    {
        var defaultValue = load(options.Default);
        var listeners = options.Listeners.ToFrozenDictionary(pair => pair.Key, pair => load(pair.Value), StringComparer.Ordinal);
        return new ListenerScoped<T>(defaultValue, listeners);
    }

    public T For(string listener) => _listeners.TryGetValue(listener, out var value) ? value : _default;
}

using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Security.Authentication;

/// <summary>
/// Remembers recent login failures per remote address, to slow that address down and to log failures without
/// flooding: at most one line per address per interval and a global cap per interval, each line counting what was not
/// logged. Bounded: at most <see cref="FailedLoginOptions.MaximumTrackedAddresses"/> addresses, the least recently
/// failed forgotten first (O(1) with a linked list). Logins are rare next to messages, so one lock is enough.
/// </summary>
internal sealed class FailedLoginTracker
{
    private const int MaximumLoggedTextLength = 64;

    private readonly FailedLoginOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<AddressRecord>> _byAddress = new(StringComparer.Ordinal);
    private readonly LinkedList<AddressRecord> _leastRecentFirst = new();
    private DateTimeOffset _logIntervalStart = DateTimeOffset.MinValue;
    private int _linesThisInterval;
    private long _suppressedByCap;

    public FailedLoginTracker(FailedLoginOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    public int TrackedAddresses
    {
        get
        {
            lock (_lock)
            {
                return _byAddress.Count;
            }
        }
    }

    /// <summary>How long an attempt from <paramref name="address"/> waits before it is answered, whatever its outcome:
    /// a wait only on failures would let a client that hangs up early guess at full speed.</summary>
    public TimeSpan DelayFor(string address)
    {
        if (_options.MaximumDelay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        lock (_lock)
        {
            if (!_byAddress.TryGetValue(address, out var node) || IsForgotten(node.Value, _time.GetUtcNow()))
            {
                return TimeSpan.Zero;
            }
            return Delay(node.Value.Failures);
        }
    }

    internal TimeSpan Delay(int failures)
    {
        var beyondFree = failures - _options.FreeAttempts;
        if (beyondFree < 0)
        {
            return TimeSpan.Zero;
        }
        var delay = _options.InitialDelay * Math.Pow(2, Math.Min(beyondFree, 30));
        return delay < _options.MaximumDelay ? delay : _options.MaximumDelay;
    }

    public void RecordFailure(string address, string clientId, string? username, LoginFailure failure)
    {
        var now = _time.GetUtcNow();
        int failures;
        long unlogged;
        long suppressedByCap;
        lock (_lock)
        {
            var record = Touch(address, now);
            record.Failures++;
            record.LastFailure = now;
            failures = record.Failures;
            if (now - record.LastLogged < _options.LogInterval || !TakeLogLine(now, out suppressedByCap))
            {
                record.Unlogged++;
                return;
            }
            unlogged = record.Unlogged;
            record.Unlogged = 0;
            record.LastLogged = now;
        }

        _logger.LogWarning(
            "Login refused from {Address}: client {ClientId}, user {Username}: {Reason}. {Failures} failures from this address recently, {Unlogged} not logged since its last line; {Suppressed} other failed logins not logged (log cap)",
            address, Printable(clientId), username is null ? "(none)" : Printable(username), Describe(failure), failures, unlogged, suppressedByCap);
    }

    private AddressRecord Touch(string address, DateTimeOffset now)
    {
        if (_byAddress.TryGetValue(address, out var node))
        {
            if (IsForgotten(node.Value, now))
            {
                node.Value.Failures = 0;
            }
            _leastRecentFirst.Remove(node);
            _leastRecentFirst.AddLast(node);
            return node.Value;
        }

        while (_byAddress.Count >= Math.Max(1, _options.MaximumTrackedAddresses))
        {
            var oldest = _leastRecentFirst.First!;
            _leastRecentFirst.RemoveFirst();
            _byAddress.Remove(oldest.Value.Address);
        }

        var record = new AddressRecord(address) { LastLogged = DateTimeOffset.MinValue };
        _byAddress.Add(address, _leastRecentFirst.AddLast(record));
        return record;
    }

    private bool TakeLogLine(DateTimeOffset now, out long suppressedByCap)
    {
        if (now - _logIntervalStart >= _options.LogInterval)
        {
            _logIntervalStart = now;
            _linesThisInterval = 0;
        }
        suppressedByCap = _suppressedByCap;
        if (_linesThisInterval >= _options.MaximumLogLinesPerInterval)
        {
            _suppressedByCap++;
            return false;
        }
        _linesThisInterval++;
        _suppressedByCap = 0;
        return true;
    }

    private bool IsForgotten(AddressRecord record, DateTimeOffset now) => now - record.LastFailure > _options.ForgetAfter;

    private static string Describe(LoginFailure failure) => failure switch
    {
        LoginFailure.Anonymous => "no user name and anonymous access is off",
        LoginFailure.UnknownUser => "unknown user",
        LoginFailure.WrongPassword => "wrong password",
        LoginFailure.NoPassword => "no password",
        _ => "no usable client certificate",
    };

    /// <summary>Client ids and user names are the client's words: shortened, control characters replaced, so that a
    /// hostile client cannot forge log lines or fill them.</summary>
    private static string Printable(string text)
    {
        var shortened = text.Length > MaximumLoggedTextLength ? text[..MaximumLoggedTextLength] + "…" : text;
        return string.Create(shortened.Length, shortened, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }

    private sealed class AddressRecord(string address)
    {
        public string Address { get; } = address;
        public int Failures { get; set; }
        public DateTimeOffset LastFailure { get; set; }
        public DateTimeOffset LastLogged { get; set; }
        public long Unlogged { get; set; }
    }
}

namespace EmbeddedBroker.Security.Authentication;

/// <summary>How failed logins are slowed down and logged, per remote address.</summary>
public sealed class FailedLoginOptions
{
    /// <summary>Failures from one address answered at once; from then on every attempt from it waits.</summary>
    public int FreeAttempts { get; set; } = 3;

    /// <summary>The wait after <see cref="FreeAttempts"/> failures; it doubles with each further failure.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait (keep it under clients' connect timeouts). Zero disables slowing down.</summary>
    public TimeSpan MaximumDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An address is forgiven this long after its last failure.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>At most one log line per address in this interval (later failures are counted into the next line).</summary>
    public TimeSpan LogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many failed-login lines per <see cref="LogInterval"/> for all addresses together.</summary>
    public int MaximumLogLinesPerInterval { get; set; } = 20;

    /// <summary>Addresses remembered at once; the one whose last failure is oldest is forgotten first.</summary>
    public int MaximumTrackedAddresses { get; set; } = 10_000;
}

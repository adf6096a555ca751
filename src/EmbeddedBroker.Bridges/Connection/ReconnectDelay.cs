namespace EmbeddedBroker.Bridges.Connection;

/// <summary>
/// Mosquitto's restart_timeout: a constant delay (one value), or back-off with "decorrelated jitter" from BASE up to
/// CAP (two values; Mosquitto's default is 5 and 30 s): each delay is random between BASE and three times the last,
/// capped. <see cref="Reset"/> after a successful connection.
/// </summary>
internal sealed class ReconnectDelay
{
    private const int DefaultBase = 5;
    private const int DefaultCap = 30;
    private readonly TimeSpan _base;
    private readonly TimeSpan? _cap;
    private readonly Random _random;
    private TimeSpan _last;

    public ReconnectDelay(int? restartTimeout, int? restartTimeoutMax, Random? random = null)
    {
        _random = random ?? Random.Shared;
        if (restartTimeout is null && restartTimeoutMax is null)
        {
            (_base, _cap) = (TimeSpan.FromSeconds(DefaultBase), TimeSpan.FromSeconds(DefaultCap));
        }
        else
        {
            _base = TimeSpan.FromSeconds(restartTimeout ?? restartTimeoutMax!.Value);
            _cap = restartTimeoutMax is { } cap ? TimeSpan.FromSeconds(cap) : null;
        }

        _last = _base;
    }

    public TimeSpan Next()
    {
        if (_cap is not { } cap)
        {
            return _base;
        }

        var upper = _last * 3;
        var next = _base + ((upper - _base) * _random.NextDouble());
        _last = next < cap ? next : cap;
        return _last;
    }

    public void Reset() => _last = _base;
}

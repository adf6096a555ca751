using System.Diagnostics.Metrics;
using EmbeddedBroker.Broker.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Web.WebSockets;

/// <summary>
/// Counts WebSocket messages refused at their frame header (metric embeddedbroker.websocket.messages.refused) and
/// logs them at most once a minute with how many were not logged, as the broker does for malformed packets.
/// </summary>
internal sealed class WebSocketLimitLog
{
    public const string MeterName = "EmbeddedBroker.WebSocket";
    private readonly LogThrottle _throttle = new(TimeSpan.FromMinutes(1));
    private readonly ILogger<WebSocketLimitLog> _logger;
    private readonly Counter<long> _refused;

    public WebSocketLimitLog(IMeterFactory meters, ILogger<WebSocketLimitLog> logger)
    {
        _logger = logger;
        _refused = meters.Create(MeterName).CreateCounter<long>("embeddedbroker.websocket.messages.refused", "{message}",
            "WebSocket messages refused at their frame header for announcing more than the limit (closed with 1009)");
    }

    public void MessageTooBig(long announced, long limit, string remoteEndPoint)
    {
        _refused.Add(1);
        if (_throttle.TryEnter(out var suppressed))
        {
            _logger.LogWarning("WebSocket message of {Announced} bytes from {RemoteEndPoint} refused at its frame header (limit {Limit} bytes): closed with 1009 ({Suppressed} more since the last such line)",
                announced, remoteEndPoint, limit, suppressed);
        }
    }
}

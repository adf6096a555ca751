using System.Diagnostics.Metrics;
using EmbeddedBroker.Broker.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Web.Listeners;

/// <summary>
/// What the web listeners refuse from abusive or broken clients, which can repeat it at will: counted in /metrics and
/// logged at most once a minute per kind, with how many were not logged, as the broker does for malformed packets.
/// </summary>
internal sealed class WebAbuseLog
{
    public const string MeterName = "EmbeddedBroker.Web";
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly LogThrottle _oversizedMessages = new(Interval);
    private readonly LogThrottle _slowBodies = new(Interval);
    private readonly ILogger<WebAbuseLog> _logger;
    private readonly Counter<long> _refusedMessages;
    private readonly Counter<long> _timedOutBodies;

    public WebAbuseLog(IMeterFactory meters, ILogger<WebAbuseLog> logger)
    {
        _logger = logger;
        var meter = meters.Create(MeterName);
        _refusedMessages = meter.CreateCounter<long>("embeddedbroker.websocket.messages.refused", "{message}",
            "WebSocket messages refused at their frame header for announcing more than the limit (closed with 1009)");
        _timedOutBodies = meter.CreateCounter<long>("embeddedbroker.http.request_bodies.timed_out", "{request}",
            "HTTP request bodies sent slower than Web:Requests:MinBodyBytesPerSecond (answered 408)");
    }

    public void MessageTooBig(long announced, long limit, string remoteEndPoint)
    {
        _refusedMessages.Add(1);
        if (_oversizedMessages.TryEnter(out var suppressed))
        {
            _logger.LogWarning("WebSocket message of {Announced} bytes from {RemoteEndPoint} refused at its frame header (limit {Limit} bytes): closed with 1009 ({Suppressed} more since the last such line)",
                announced, remoteEndPoint, limit, suppressed);
        }
    }

    public void BodyTooSlow(string path, string? remoteEndPoint)
    {
        _timedOutBodies.Add(1);
        if (_slowBodies.TryEnter(out var suppressed))
        {
            _logger.LogWarning("Request body for {Path} from {RemoteEndPoint} arrived slower than Web:Requests:MinBodyBytesPerSecond: answered 408 and closed ({Suppressed} more since the last such line)",
                path, remoteEndPoint, suppressed);
        }
    }
}

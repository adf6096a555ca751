using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Serilog;
using Serilog.Events;

namespace EmbeddedBroker.Hosting;

/// <summary>
/// One line per HTTP request (Serilog's request logging: method, path, status, time) for the API and the pages, at
/// Information. Never a line per MQTT message: a publish through the API, a WebSocket MQTT connection (logged by the
/// broker), a health probe or a metrics scrape logs at Debug; a server error at Error.
/// </summary>
internal static class RequestLogging
{
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o => o.GetLevel = Level);
        return app;
    }

    private static LogEventLevel Level(HttpContext context, double elapsedMs, Exception? error)
    {
        if (error is not null || context.Response.StatusCode >= 500)
        {
            return LogEventLevel.Error;
        }

        var path = context.Request.Path;
        return context.WebSockets.IsWebSocketRequest || context.Response.StatusCode == StatusCodes.Status101SwitchingProtocols
            || path.StartsWithSegments("/api/publish") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/metrics")
            ? LogEventLevel.Debug
            : LogEventLevel.Information;
    }
}

using System.Text.Json;
using EmbeddedBroker.Web.Api;
using EmbeddedBroker.Web.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EmbeddedBroker.Web.Health;

/// <summary>/healthz body: {"status":"Healthy","checks":{"broker":{...},"recorder":{...}}}; 200 unless Unhealthy (503).</summary>
internal static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var details = WebSecuritySetup.ShowsHealthDetails(context);
        var checks = report.Entries.ToDictionary(e => e.Key, e => new HealthCheckResponse(e.Value.Status.ToString(), details ? e.Value.Description : null));
        var body = new HealthResponse(report.Status.ToString(), checks);
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, body, WebJsonContext.Default.HealthResponse, context.RequestAborted);
    }
}

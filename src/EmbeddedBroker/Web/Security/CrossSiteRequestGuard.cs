using EmbeddedBroker.Web.Api;
using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EmbeddedBroker.Web.Security;

/// <summary>
/// Refuses cross-site state-changing requests in every configuration, anonymous included, without tokens: a
/// state-changing request (any method but GET, HEAD, OPTIONS, TRACE) must say <c>Content-Type: application/json</c>,
/// which no HTML form and no <c>no-cors</c> fetch can send (it is not a CORS-safelisted type, so a cross-origin script
/// needs a preflight, which is never answered with CORS headers) — 415 otherwise; and when it carries an Origin, that
/// must be the request's own origin or one of Web:AllowedOrigins — 403 otherwise.
/// </summary>
internal sealed class CrossSiteRequestGuard(RequestDelegate next, IOptions<WebOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || HttpMethods.IsTrace(request.Method))
        {
            return next(context);
        }

        if (!IsJson(request.ContentType))
        {
            return Refuse(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type", "send the body as Content-Type: application/json");
        }

        if (RequestOrigin.Of(request) is { } origin && !RequestOrigin.IsAllowed(origin, request, options.Value.AllowedOrigins))
        {
            return Refuse(context, StatusCodes.Status403Forbidden, "Origin", $"requests from pages of {origin} are refused (cross-site); list the origin in Web:AllowedOrigins to allow it");
        }

        return next(context);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The API's own error body (<see cref="ApiError"/>).</summary>
    private static Task Refuse(HttpContext context, int status, string field, string reason) =>
        TypedResults.Json(new ApiError(reason, field), WebJsonContext.Default.ApiError, statusCode: status).ExecuteAsync(context);
}

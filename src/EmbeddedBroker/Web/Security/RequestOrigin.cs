using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace EmbeddedBroker.Web.Security;

/// <summary>
/// Compares a request's Origin header (RFC 6454: scheme://host[:port], sent by browsers on cross-origin requests, on
/// every POST and on every WebSocket handshake) with the request's own origin and with configured ones.
/// </summary>
internal static class RequestOrigin
{
    /// <summary>The Origin header, or null when the request has none (not a browser, or a same-origin GET).</summary>
    public static string? Of(HttpRequest request) =>
        request.Headers.TryGetValue(HeaderNames.Origin, out var values) && values.Count > 0 ? values.ToString() : null;

    /// <summary>True when <paramref name="origin"/> is the request's own scheme://host:port, or one of
    /// <paramref name="allowed"/>. "null" (sandboxed frames, file: pages) and anything unparsable never match.</summary>
    public static bool IsAllowed(string origin, HttpRequest request, IEnumerable<string> allowed)
    {
        if (!TryParse(origin, out var parsed))
        {
            return false;
        }

        if (TryParse($"{request.Scheme}://{request.Host.Value}", out var own) && SameOrigin(parsed, own))
        {
            return true;
        }

        return allowed.Any(a => TryParse(a, out var listed) && SameOrigin(parsed, listed));
    }

    /// <summary>Web:WebSocketAllowedOrigins: empty allows every page; otherwise a browser's handshake (it always sends
    /// Origin) must come from the listener's own origin or a listed one. Clients without Origin are not browsers.</summary>
    public static bool AllowsWebSocket(HttpRequest request, IReadOnlyCollection<string> allowed) =>
        allowed.Count == 0 || Of(request) is not { } origin || IsAllowed(origin, request, allowed);

    private static bool TryParse(string text, out Uri origin) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out origin!) && origin.Scheme is "http" or "https" or "ws" or "wss"
        && origin.AbsolutePath == "/" && string.IsNullOrEmpty(origin.Query);

    /// <summary>Same scheme, host and port; the port defaults from the scheme (http://a equals http://a:80).</summary>
    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}

using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Web.WebSockets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EmbeddedBroker.Web.Security;

/// <summary>
/// HTTP Basic (RFC 7617) for the dashboard, the API and /metrics, checked by the broker's own CONNECT authenticator
/// (the password file hook) as if the user had connected over MQTT on the listener the request came in on: the same
/// users, the same per-listener settings, and failed logins counted, logged and slowed down per address with MQTT's.
/// </summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IServiceProvider services)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    /// <summary>What failed-login log lines show as the client id of an HTTP request.</summary>
    public const string HttpClientId = "(http)";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // No hook (the embedded default: anonymous, no password file): nothing to check credentials against.
        if (services.GetService(typeof(IConnectAuthenticator)) is not IConnectAuthenticator authenticator
            || !AuthenticationHeaderValue.TryParse(Request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, SchemeName, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        if (!TryDecode(header.Parameter, out var username, out var password))
        {
            return AuthenticateResult.Fail("malformed Basic credentials");
        }

        var connection = WebSocketConnectionContext.For(Context);
        var request = new MqttConnectRequest(HttpClientId, username, password, MqttProtocolVersion.V500, connection);
        var result = await authenticator.AuthenticateAsync(request, Context.RequestAborted);
        if (!result.IsAccepted || result.Username is null)
        {
            return AuthenticateResult.Fail("user name or password refused");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, result.Username)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"EmbeddedBroker\", charset=\"UTF-8\"";
        return Task.CompletedTask;
    }

    /// <summary>Base64 of "user:password" in UTF-8 (RFC 7617; the user name cannot contain ':', the password can).</summary>
    private static bool TryDecode(string? parameter, out string username, out byte[] password)
    {
        username = string.Empty;
        password = [];
        if (string.IsNullOrEmpty(parameter) || parameter.Length > 4096)
        {
            return false;
        }

        var bytes = new byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, bytes, out var length))
        {
            return false;
        }

        var colon = Array.IndexOf(bytes, (byte)':', 0, length);
        if (colon <= 0)
        {
            return false;
        }

        try
        {
            username = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, colon);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        password = bytes[(colon + 1)..length];
        return true;
    }
}

using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Security;
using EmbeddedBroker.Web.WebSockets;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Security;

/// <summary>
/// Who may use the dashboard, the API and /metrics: the rule MQTT applies on the same listener. With no security hook
/// (the embedded default) or allow_anonymous true, anyone; otherwise a user the password file accepts. Where a hook
/// checks logins, credentials that are sent are always checked: wrong ones get 401 even where anonymous access is
/// allowed, as a wrong MQTT password is refused there.
/// </summary>
internal sealed class BrokerUserRequirement : IAuthorizationRequirement
{
    public const string PolicyName = "BrokerUser";

    /// <summary>Whether anonymous requests on the listener <paramref name="context"/> arrived on are allowed.</summary>
    public static bool AllowsAnonymous(HttpContext context)
    {
        if (context.RequestServices.GetService<IConnectAuthenticator>() is null)
        {
            return true;
        }

        var listener = WebSocketConnectionContext.For(context).Listener;
        return context.RequestServices.GetRequiredService<SecurityOptions>().For(listener).AllowAnonymous;
    }

    public sealed class Handler : AuthorizationHandler<BrokerUserRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, BrokerUserRequirement requirement)
        {
            if (context.Resource is not HttpContext http)
            {
                return Task.CompletedTask;
            }

            // Without a hook nothing is checked, over MQTT or HTTP: credentials a browser sends anyway are ignored.
            var checking = http.RequestServices.GetService<IConnectAuthenticator>() is not null;
            var authenticated = context.User.Identity?.IsAuthenticated == true;
            var sentCredentials = http.Request.Headers.Authorization.Count > 0;
            if (!checking || authenticated || (!sentCredentials && AllowsAnonymous(http)))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}

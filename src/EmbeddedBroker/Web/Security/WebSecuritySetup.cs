using EmbeddedBroker.Hosting;
using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Security;

/// <summary>
/// The locked web surface (docs/security.md, "The web surface"), with ASP.NET Core's own parts: HostFiltering for the
/// Host header, an authentication scheme (HTTP Basic over the password file hook) and an authorization policy
/// (<see cref="BrokerUserRequirement"/>) for the dashboard, the API and /metrics, and <see cref="CrossSiteRequestGuard"/>
/// for state-changing requests.
/// </summary>
internal static class WebSecuritySetup
{
    public static void AddWebSecurity(IServiceCollection services)
    {
        services.AddHostFiltering(_ => { });
        services.AddOptions<HostFilteringOptions>()
            .Configure<IOptions<WebOptions>, IOptions<WebSocketListenerOptions>, IOptions<HttpListenerOptions>, IOptions<ListenerOptions>>(
                (filtering, web, webSocket, http, listeners) =>
                {
                    filtering.AllowedHosts = [.. WebHostNames.Allowed(web.Value, webSocket.Value, http.Value, listeners.Value)];
                    filtering.IncludeFailureMessage = true;
                });

        services.AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, BrokerUserRequirement.Handler>();
        services.AddAuthorizationBuilder().AddPolicy(BrokerUserRequirement.PolicyName, policy => policy
            .AddAuthenticationSchemes(BasicAuthenticationHandler.SchemeName)
            .AddRequirements(new BrokerUserRequirement()));
    }

    /// <summary>Before everything else, MQTT over WebSocket included: a foreign Host gets 400 before any upgrade.</summary>
    public static void UseHostAndCrossSiteChecks(IApplicationBuilder app)
    {
        app.UseHostFiltering();
        app.UseMiddleware<CrossSiteRequestGuard>();
    }

    /// <summary>After routing: who the user is, then the endpoints' policies.</summary>
    public static void UseAuthenticationAndAuthorization(IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
    }

    /// <summary>The policy for a branch that is not an endpoint (the dashboard's static files), evaluated by the same
    /// framework service the authorization middleware uses: 401 with a Basic challenge, or 403.</summary>
    public static void RequireBrokerUser(IApplicationBuilder branch) =>
        branch.Use(async (context, next) =>
        {
            var policy = await context.RequestServices.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(BrokerUserRequirement.PolicyName);
            var evaluator = context.RequestServices.GetRequiredService<IPolicyEvaluator>();
            var authentication = await evaluator.AuthenticateAsync(policy!, context);
            var authorization = await evaluator.AuthorizeAsync(policy!, authentication, context, context);
            if (authorization.Succeeded)
            {
                await next(context);
            }
            else if (authorization.Challenged)
            {
                await context.ChallengeAsync(BasicAuthenticationHandler.SchemeName);
            }
            else
            {
                await context.ForbidAsync(BasicAuthenticationHandler.SchemeName);
            }
        });

    /// <summary>/healthz stays open (liveness probes carry no credentials) but tells an unauthenticated caller only
    /// the status where the other endpoints would ask for a password: check descriptions may name files and errors.</summary>
    public static bool ShowsHealthDetails(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true || BrokerUserRequirement.AllowsAnonymous(context);
}

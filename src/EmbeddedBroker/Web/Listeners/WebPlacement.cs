using EmbeddedBroker.Web.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EmbeddedBroker.Web.Listeners;

/// <summary>Endpoint metadata: the listener(s) an endpoint is served on. Elsewhere it answers 404, as if absent.</summary>
internal sealed record WebPlacement(WebListener On)
{
    /// <summary>Middleware (after routing) that hides endpoints on listeners they are not placed on.</summary>
    public static Func<HttpContext, RequestDelegate, Task> Gate(WebListenerMap listeners) => (context, next) =>
    {
        var placement = context.GetEndpoint()?.Metadata.GetMetadata<WebPlacement>();
        if (placement is not null && !listeners.Serves(placement.On, context))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return next(context);
    };

    /// <summary>The same rule for a path branch that is not an endpoint (static pages).</summary>
    public static void GateBranch(IApplicationBuilder branch, WebListenerMap listeners, WebListener on) =>
        branch.Use((context, next) =>
        {
            if (!listeners.Serves(on, context))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
}

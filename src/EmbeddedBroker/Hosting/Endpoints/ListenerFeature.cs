using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EmbeddedBroker.Hosting.Endpoints;

/// <summary>
/// Which configured listener a connection arrived on, set on the connection's features by the first middleware of
/// each listener; HTTP requests see it too (Kestrel passes connection features through), so MQTT over WebSocket gets
/// the listener's name for per-listener security.
/// </summary>
public sealed record ListenerFeature(string Name)
{
    /// <summary>Adds the middleware that marks every connection of <paramref name="listen"/> as <paramref name="name"/>'s.</summary>
    public static void Mark(ListenOptions listen, string name)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var feature = new ListenerFeature(name);
        listen.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
    }
}

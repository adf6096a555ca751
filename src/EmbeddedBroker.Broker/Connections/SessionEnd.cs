using EmbeddedBroker.Broker.Publishing;
using EmbeddedBroker.Broker.Sessions;

namespace EmbeddedBroker.Broker.Connections;

/// <summary>What happens to the session and the will when an accepted connection ends.</summary>
internal static class SessionEnd
{
    /// <summary>
    /// Unbinds the session from the connection and publishes the will when the connection ended for any reason but a
    /// DISCONNECT (MQTT-3.1.2-8, MQTT-3.14.4-3), including take-over and server-detected protocol errors; MQTT 5
    /// DISCONNECT 0x04 asks for it explicitly. MQTT 5 Will Delay Interval postpones it until the delay passes or the
    /// session ends (3.1.2.5).
    /// </summary>
    public static void Detach(MqttConnection connection, NegotiatedSession negotiated, CloseReason reason, bool publishWillAfterDisconnect)
    {
        var core = connection.Core;
        var will = ShouldPublishWill(reason, publishWillAfterDisconnect) ? negotiated.Will : null;
        DelayedWill? delayed = null;
        DelayedWill? willNow = null;
        if (will is not null)
        {
            var message = WillMessages.ToApplicationMessage(will, negotiated.ClientId);
            var delay = will.Properties.WillDelayInterval ?? 0;
            var pending = new DelayedWill(message, Environment.TickCount64 + (delay * 1000L), negotiated.Identity);
            if (delay == 0)
                willNow = pending;
            else
                delayed = pending;
        }

        core.Sessions.Detach(negotiated.Session, connection, delayed, out var dueNow);
        willNow ??= dueNow;
        if (willNow is not null)
            core.Wills.Publish(willNow.Message, willNow.Publisher);
    }

    private static bool ShouldPublishWill(CloseReason reason, bool publishWillAfterDisconnect) => reason switch
    {
        CloseReason.ClientDisconnected => publishWillAfterDisconnect,
        CloseReason.ServerShuttingDown => false, // nobody is left to receive it
        _ => true,
    };
}

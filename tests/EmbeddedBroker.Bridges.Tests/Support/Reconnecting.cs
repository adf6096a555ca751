using System.Net.Sockets;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bridges.Tests.Support;

/// <summary>Connecting again and again while a broker is down or restarting, within a deadline.</summary>
internal static class Reconnecting
{
    public static async Task<MqttClient> ConnectAsync(MqttClientOptions options, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await MqttClient.ConnectAsync(options, cancellationToken);
            }
            catch (Exception error) when (IsTransient(error) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    public static bool IsTransient(Exception error) =>
        error is SocketException or IOException or TimeoutException or MqttConnectionClosedException or MqttConnectException or InvalidOperationException;
}

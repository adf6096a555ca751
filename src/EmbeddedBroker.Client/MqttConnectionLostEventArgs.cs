using EmbeddedBroker.Protocol.Packets;

namespace EmbeddedBroker.Client;

/// <summary>Why a connection ended without the application asking for it.</summary>
public sealed class MqttConnectionLostEventArgs : EventArgs
{
    public MqttConnectionLostEventArgs(Exception? exception, DisconnectPacket? serverDisconnect)
    {
        Exception = exception;
        ServerDisconnect = serverDisconnect;
    }

    /// <summary>The transport or protocol failure; null when the server closed the stream cleanly.</summary>
    public Exception? Exception { get; }

    /// <summary>The DISCONNECT the server sent before closing (MQTT 5), if any.</summary>
    public DisconnectPacket? ServerDisconnect { get; }
}

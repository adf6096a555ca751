namespace EmbeddedBroker.Client;

/// <summary>The connection ended (closed by either side, or lost) before the operation completed.</summary>
public sealed class MqttConnectionClosedException : IOException
{
    public MqttConnectionClosedException() : base("The MQTT connection is closed.")
    {
    }

    public MqttConnectionClosedException(string message) : base(message)
    {
    }

    public MqttConnectionClosedException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

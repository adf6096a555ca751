namespace EmbeddedBroker.Client;

/// <summary>
/// What the client's parts (writer, reader, keep-alive) may ask of the <see cref="MqttClient"/> that owns them: whether
/// the application still holds the connection, and ending it. They know nothing else of the client.
/// </summary>
internal interface IClientLifetime
{
    /// <summary>Connected and not asked to disconnect: an end now is a loss the application is told of.</summary>
    bool IsConnected { get; }

    /// <summary>Ends the connection once (later calls do nothing); <paramref name="lost"/> is null when the application closed it.</summary>
    void End(MqttConnectionLostEventArgs? lost);
}

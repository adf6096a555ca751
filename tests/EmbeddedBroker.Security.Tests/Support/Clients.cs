using EmbeddedBroker.Protocol;
using System.Text;

namespace EmbeddedBroker.Security.Tests.Support;

/// <summary>Identities and CONNECT requests as the engine builds them.</summary>
internal static class Clients
{
    public static MqttConnectionContext Connection(string listener = "default", string address = "127.0.0.1") =>
        new() { Listener = listener, RemoteAddress = address, RemoteEndPoint = address + ":50000" };

    public static MqttClientIdentity Identity(string clientId, string? username, string listener = "default") =>
        new(clientId, username, Connection(listener));

    public static MqttConnectRequest Connect(string? username, string? password, string clientId = "client",
        MqttProtocolVersion version = MqttProtocolVersion.V311, string listener = "default", string address = "127.0.0.1") =>
        new(clientId, username, password is null ? null : Encoding.UTF8.GetBytes(password), version, Connection(listener, address));

    public static MqttApplicationMessage Message(string topic) => new() { Topic = topic, Payload = "x"u8.ToArray() };
}

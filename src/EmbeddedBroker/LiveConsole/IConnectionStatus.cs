namespace EmbeddedBroker.LiveConsole;

/// <summary>The first field of the status line: "clients 3" for the broker, "connected to host:1883" in record mode.</summary>
public interface IConnectionStatus
{
    string Describe();
}

using EmbeddedBroker.LiveConsole;

namespace EmbeddedBroker.RecordMode;

/// <summary>What the record client is doing, for the console's status line.</summary>
public sealed class RecordConnectionStatus : IConnectionStatus
{
    private volatile string state = "connecting";

    public void Set(string text) => state = text;

    public string Describe() => state;
}

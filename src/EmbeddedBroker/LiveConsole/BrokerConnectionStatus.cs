using System.Globalization;
using EmbeddedBroker.Broker;

namespace EmbeddedBroker.LiveConsole;

internal sealed class BrokerConnectionStatus(MqttBroker broker) : IConnectionStatus
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"clients {broker.Statistics.ConnectionsCurrent:N0}");
}

namespace EmbeddedBroker.Bridges;

/// <summary>The publish observer that feeds every bridge's out-queue; its receipt holds a local publisher's
/// acknowledgement until the message is in the queue files of the bridges it goes to.</summary>
internal sealed class BridgeObserver(BridgeRegistry registry) : IPublishObserver
{
    public PublishReceipt OnMessageAccepted(MqttApplicationMessage message)
    {
        var receipt = PublishReceipt.None;
        foreach (var bridge in registry.Bridges)
        {
            receipt = PublishReceipt.Both(receipt, bridge.Offer(message));
        }

        return receipt;
    }
}

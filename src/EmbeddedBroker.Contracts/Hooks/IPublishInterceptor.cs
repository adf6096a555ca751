namespace EmbeddedBroker.Contracts.Hooks;

/// <summary>
/// Sees an authorized message before observers, retain and fan-out; may return it unchanged, return a replacement
/// (e.g. a rewritten payload; build a new immutable message), or return null to drop it silently.
/// Runs on the publishing connection: keep it fast and never block.
/// </summary>
public interface IPublishInterceptor
{
    MqttApplicationMessage? Intercept(MqttApplicationMessage message);
}

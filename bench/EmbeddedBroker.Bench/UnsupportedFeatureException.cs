namespace EmbeddedBroker.Bench;

/// <summary>
/// The broker under test does not offer what the scenario needs (it said so in CONNACK or SUBACK): the scenario is
/// reported as not applicable to this broker, not as failed.
/// </summary>
internal sealed class UnsupportedFeatureException(string feature) : Exception(feature);

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// A mosquitto.conf turned into this application's configuration keys (the keys of config/appsettings.json and of
/// <c>--Section:Key value</c>), ready for <c>AddInMemoryCollection</c>.
/// </summary>
/// <param name="Values">Configuration key → value, e.g. "Listeners:Endpoints:0:Port" → "1883".</param>
/// <param name="Warnings">One line each, <c>FILE:LINE: KEY: message</c>: deprecated keys, values Mosquitto would
/// adjust (and so are adjusted here), keys with no effect. Worth logging at start-up.</param>
/// <param name="Files">Every file read, the main one first, then the include_dir files in the order read.</param>
/// <param name="Origins">For the keys naming a file or a socket (TLS files, password and ACL files, listener ports):
/// the line that set it, <c>FILE:LINE: KEY</c>, so that a file that fails to load at start-up is reported at its line.</param>
public sealed record MosquittoConfiguration(
    IReadOnlyDictionary<string, string?> Values,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Files,
    IReadOnlyDictionary<string, string> Origins);

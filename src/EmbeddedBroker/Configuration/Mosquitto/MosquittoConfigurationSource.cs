using Microsoft.Extensions.Configuration;

namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// A mosquitto.conf as a configuration source: its keys at the precedence where it is added. Reading happens when the
/// configuration is built and throws <see cref="MosquittoConfigurationException"/> (a one-line message) if the file
/// cannot be used. <see cref="LastRead"/> keeps the result, for the warnings and the list of files read.
/// </summary>
public sealed class MosquittoConfigurationSource(string path) : IConfigurationSource
{
    public string Path { get; } = path;

    /// <summary>The result of the latest load, or null before the configuration is built.</summary>
    public MosquittoConfiguration? LastRead { get; private set; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    private sealed class Provider(MosquittoConfigurationSource source) : ConfigurationProvider
    {
        public override void Load()
        {
            var read = MosquittoConfigurationReader.Read(source.Path);
            source.LastRead = read;
            Data = new Dictionary<string, string?>(read.Values, StringComparer.OrdinalIgnoreCase);
        }
    }
}

/// <summary>Adds a mosquitto.conf to a configuration builder.</summary>
public static class MosquittoConfigurationExtensions
{
    public static IConfigurationBuilder AddMosquittoConfiguration(this IConfigurationBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new MosquittoConfigurationSource(path));
    }
}

using EmbeddedBroker.Configuration.Mosquitto;

namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>Writes mosquitto.conf files into the test's own folder and reads them with the reader under test.</summary>
public abstract class MosquittoConfFixture : TempFolderFixture
{
    /// <summary>Writes <paramref name="lines"/> (joined with \n, each line as given: trailing blanks are kept) and reads it.</summary>
    protected MosquittoConfiguration Read(params string[] lines) => MosquittoConfigurationReader.Read(Write("mosquitto.conf", lines));

    /// <summary>The values of <see cref="Read"/>.</summary>
    protected IReadOnlyDictionary<string, string?> Values(params string[] lines) => Read(lines).Values;

    /// <summary>Reads and expects a refusal; returns its one-line message with the test folder left out of paths
    /// (so "mosquitto.conf:2: ..." as when running `-c mosquitto.conf` in that folder).</summary>
    protected string Refusal(params string[] lines) => RefusalOf(Write("mosquitto.conf", lines));

    protected string RefusalOf(string path)
    {
        var error = Assert.Throws<MosquittoConfigurationException>(() => MosquittoConfigurationReader.Read(path))!;
        Assert.That(error.Message, Does.Not.Contain('\n'), "the message is one line");
        return error.Message.Replace(Temp.Path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
    }

    /// <summary>Writes a file under the test's folder (sub-folders created) and returns its full path.</summary>
    protected string Write(string relativePath, params string[] lines)
    {
        var path = Temp.Combine(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    /// <summary>A path in the test's folder, as the reader resolves relative paths of the main file.</summary>
    protected string InFolder(string relativePath) => Path.GetFullPath(Temp.Combine(relativePath));

    /// <summary>The keys under <paramref name="prefix"/> (e.g. "Listeners:Endpoints:0"), without the prefix.</summary>
    protected static Dictionary<string, string?> Section(IReadOnlyDictionary<string, string?> values, string prefix) =>
        values.Where(pair => pair.Key.StartsWith(prefix + ":", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(pair => pair.Key[(prefix.Length + 1)..], pair => pair.Value, StringComparer.OrdinalIgnoreCase);
}

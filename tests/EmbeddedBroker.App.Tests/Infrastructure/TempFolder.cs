namespace EmbeddedBroker.App.Tests.Infrastructure;

/// <summary>A temporary folder for one test's exports, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("eb-app-").FullName;

    public string Path { get; }

    /// <summary>Base path for --output: the recorder writes &lt;Path&gt;/mqtt_data.csv and .json.</summary>
    public string OutputBase => System.IO.Path.Combine(Path, "mqtt_data");

    public string Csv => OutputBase + ".csv";

    public string Json => OutputBase + ".json";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

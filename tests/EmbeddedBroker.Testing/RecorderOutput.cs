namespace EmbeddedBroker.Testing;

/// <summary>
/// The files the recorder writes for one output base path (Recorder:Output, --output): the base plus ".csv",
/// ".json" or ".jsonl".
/// </summary>
public sealed record RecorderOutput(string BasePath)
{
    public string Csv => BasePath + ".csv";

    public string Json => BasePath + ".json";

    public string JsonLines => BasePath + ".jsonl";

    /// <summary>Where the broker's state store of this run goes: broker.db in the same folder.</summary>
    public string StorePath => Path.Combine(Path.GetDirectoryName(BasePath) ?? ".", "broker.db");

    /// <summary>The default base name, mqtt_data, inside <paramref name="folder"/>.</summary>
    public static RecorderOutput In(string folder) => new(Path.Combine(folder, "mqtt_data"));

    public static RecorderOutput In(TempFolder folder) => In(folder.Path);
}

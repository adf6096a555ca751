namespace EmbeddedBroker.Testing;

/// <summary>Folders of this repository, found from the test assembly's own folder (…/tests/X/bin/&lt;Configuration&gt;/net10.0).</summary>
public static class RepositoryPaths
{
    /// <summary>The folder that holds EmbeddedBroker.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests run in (Debug or Release), so they run the app built the same way.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>tests/node: the MQTT.js and Chromium tests and their package-lock.json.</summary>
    public static string NodeTests => Path.Combine(Root, "tests", "node");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EmbeddedBroker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"EmbeddedBroker.sln not found above {AppContext.BaseDirectory}");
    }
}

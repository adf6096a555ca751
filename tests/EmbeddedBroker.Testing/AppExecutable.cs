using System.Globalization;

namespace EmbeddedBroker.Testing;

/// <summary>
/// The built program, run as users run it: `dotnet &lt;repo&gt;/src/EmbeddedBroker/bin/&lt;Configuration&gt;/net10.0/EmbeddedBroker.dll`,
/// in the test assembly's own configuration, so Debug tests run the Debug build.
/// </summary>
public static class AppExecutable
{
    private static readonly Lazy<string> Dll = new(Locate);

    public static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static string DllPath => Dll.Value;

    /// <summary>Arguments every broker run gets: MQTT on 127.0.0.1 only, no WebSocket listener, the recorder writing to
    /// <paramref name="output"/> and the state store beside it (never the shared default data/broker.db).</summary>
    public static string[] BrokerArguments(int port, RecorderOutput output) =>
    [
        "--port", port.ToString(CultureInfo.InvariantCulture),
        "--bind", "127.0.0.1",
        "--Listeners:WebSocket:Enabled", "false",
        "--output", output.BasePath,
        "--Persistence:Path", output.StorePath,
    ];

    public static ExternalProcess Start(params string[] arguments) => ExternalProcess.Start(DotNet, [DllPath, .. arguments]);

    /// <summary>Starts it with an open-file limit of <paramref name="openFiles"/> (soft and hard, as `ulimit -n` sets
    /// them): util-linux's prlimit sets the limit and execs, so the process is still the app's own.</summary>
    public static ExternalProcess StartWithOpenFileLimit(int openFiles, params string[] arguments) =>
        ExternalProcess.Start("prlimit", [$"--nofile={openFiles}:{openFiles}", DotNet, DllPath, .. arguments]);

    private static string Locate()
    {
        var dll = Path.Combine(RepositoryPaths.Root, "src", "EmbeddedBroker", "bin", RepositoryPaths.Configuration, "net10.0", "EmbeddedBroker.dll");
        if (!File.Exists(dll))
        {
            Assert.Fail($"{dll} is missing: build src/EmbeddedBroker in {RepositoryPaths.Configuration} first (dotnet build -c {RepositoryPaths.Configuration}).");
        }

        return dll;
    }
}

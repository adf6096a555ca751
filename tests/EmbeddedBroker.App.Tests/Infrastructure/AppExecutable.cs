namespace EmbeddedBroker.App.Tests.Infrastructure;

/// <summary>
/// The built program, run as users run it: `dotnet &lt;repo&gt;/src/EmbeddedBroker/bin/&lt;Configuration&gt;/net10.0/EmbeddedBroker.dll`.
/// The configuration is the test assembly's own (…/bin/&lt;Configuration&gt;/net10.0/), so Debug tests run the Debug build.
/// </summary>
internal static class AppExecutable
{
    public static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static string DllPath { get; } = Locate();

    /// <summary>Arguments every test run gets: loopback only, no WebSocket listener, quiet logs but for the lines tests wait on.</summary>
    public static string[] BrokerArguments(int port, string outputBase) =>
    [
        "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--bind", "127.0.0.1",
        "--Listeners:WebSocket:Enabled", "false",
        "--output", outputBase,
    ];

    public static ExternalProcess Start(params string[] arguments) => ExternalProcess.Start(DotNet, [DllPath, .. arguments]);

    private static string Locate()
    {
        var testDirectory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); // …/tests/X/bin/<Configuration>/net10.0
        var configuration = testDirectory.Parent!.Name;
        var repository = testDirectory;
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "EmbeddedBroker.sln")))
        {
            repository = repository.Parent;
        }

        if (repository is null)
        {
            Assert.Fail($"EmbeddedBroker.sln not found above {testDirectory.FullName}");
        }

        var dll = Path.Combine(repository!.FullName, "src", "EmbeddedBroker", "bin", configuration, "net10.0", "EmbeddedBroker.dll");
        if (!File.Exists(dll))
        {
            Assert.Fail($"{dll} is missing: build src/EmbeddedBroker in {configuration} first (dotnet build -c {configuration}).");
        }

        return dll;
    }
}

using EmbeddedBroker.Persistence.Tests.Support;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>
/// The entry point of this assembly when it runs as a child process rather than under the test runner: the crash test
/// starts <c>dotnet EmbeddedBroker.Persistence.Tests.dll crash-writer PATH</c>, which hands changes to a store until it
/// is killed (SIGKILL), and reads what the child reported.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        ["crash-writer", var path] => CrashWriter.Run(path),
        _ => 2,
    };
}

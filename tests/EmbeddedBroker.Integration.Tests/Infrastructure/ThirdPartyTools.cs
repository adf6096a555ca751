namespace EmbeddedBroker.Integration.Tests.Infrastructure;

/// <summary>
/// Locates the third-party clients the interop tests run. They are installed by the test script
/// (Debian packages); a missing tool fails the test rather than skipping it, so CI cannot pass without interop.
/// </summary>
internal static class ThirdPartyTools
{
    public static string MosquittoPub => Require("/usr/bin/mosquitto_pub", "mosquitto-clients");

    public static string MosquittoSub => Require("/usr/bin/mosquitto_sub", "mosquitto-clients");

    /// <summary>Debian's python3 (which has python3-paho-mqtt), not a pyenv shim earlier on PATH.</summary>
    public static string Python => Require("/usr/bin/python3", "python3");

    private static string Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install the Debian package '{package}' (scripts/test.sh does this).");
        }

        return path;
    }
}

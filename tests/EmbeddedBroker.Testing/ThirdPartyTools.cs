namespace EmbeddedBroker.Testing;

/// <summary>
/// Where the programs nobody here wrote are: Debian's packages, installed by scripts/test.sh. A missing one fails the
/// test rather than skipping it, so CI cannot pass without interop.
/// </summary>
public static class ThirdPartyTools
{
    public const string MosquittoPath = "/usr/sbin/mosquitto";

    /// <summary>Debian's mosquitto broker, the reference the client and record-mode tests run against.</summary>
    public static string Mosquitto => Require(MosquittoPath, "mosquitto");

    public static string MosquittoPub => Require("/usr/bin/mosquitto_pub", "mosquitto-clients");

    public static string MosquittoSub => Require("/usr/bin/mosquitto_sub", "mosquitto-clients");

    /// <summary>Debian's python3 (which has python3-paho-mqtt), not a pyenv shim earlier on PATH.</summary>
    public static string Python => Require("/usr/bin/python3", "python3");

    /// <summary>A real terminal for the live console's `q` test.</summary>
    public static string Tmux => Require("/usr/bin/tmux", "tmux");

    /// <summary>Node, which runs MQTT.js and drives Chromium for tests/node.</summary>
    public static string Node => Require("/usr/bin/node", "nodejs");

    private static string Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install the Debian package '{package}' (scripts/test.sh does this).");
        }

        return path;
    }
}

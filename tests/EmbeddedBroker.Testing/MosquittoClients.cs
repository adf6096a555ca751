using System.Globalization;

namespace EmbeddedBroker.Testing;

/// <summary>Debian's mosquitto_pub and mosquitto_sub pointed at a broker on 127.0.0.1 (the "-h 127.0.0.1 -p PORT" every call needs).</summary>
public static class MosquittoClients
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>"-h 127.0.0.1 -p <paramref name="port"/>" followed by <paramref name="options"/>.</summary>
    public static string[] Arguments(int port, params string[] options) =>
        ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. options];

    /// <summary>A mosquitto_sub left running (it ends by itself with -C or -W, or when disposed).</summary>
    public static ExternalProcess StartSubscriber(int port, params string[] options) =>
        ExternalProcess.Start(ThirdPartyTools.MosquittoSub, Arguments(port, options));

    /// <summary>A mosquitto_pub whose <paramref name="stdin"/> is the message (-s) or the messages, one a line (-l).</summary>
    public static ExternalProcess StartPublisher(int port, byte[] stdin, params string[] options) =>
        ExternalProcess.Start(ThirdPartyTools.MosquittoPub, Arguments(port, options), stdin);

    public static Task<(int ExitCode, string Output, string Error)> SubscribeAsync(int port, params string[] options) =>
        ExternalProcess.RunAsync(Timeout, ThirdPartyTools.MosquittoSub, Arguments(port, options));

    public static Task<(int ExitCode, string Output, string Error)> PublishAsync(int port, params string[] options) =>
        ExternalProcess.RunAsync(Timeout, ThirdPartyTools.MosquittoPub, Arguments(port, options));

    /// <summary>Publishes one text message at QoS 1 and fails the test unless mosquitto_pub exits 0.</summary>
    public static async Task PublishTextAsync(int port, string topic, string payload)
    {
        var (code, _, error) = await PublishAsync(port, "-q", "1", "-t", topic, "-m", payload);
        Assert.That(code, Is.EqualTo(0), error);
    }
}

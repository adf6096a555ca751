using System.Globalization;
using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Integration.Tests.Infrastructure;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Integration.Tests.Recording;

/// <summary>
/// Two `record --share g` processes against EmbeddedBroker itself split a busy stream (MQTT 5.0 4.8.2): at QoS 1,
/// with both recorders subscribed before the first message, each message is in exactly one of the two recordings.
/// </summary>
[TestFixture]
[CancelAfter(150_000)]
public sealed class ShareGroupRecordingTests
{
    private const int Count = 100_000;
    private const string Topic = "load/stream";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Two_share_group_recorders_split_a_100000_message_qos_1_stream_each_message_in_exactly_one_recording_MQTT_4_8_2()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        await using var broker = await InProcessBroker.StartAsync("--Recorder:Enabled", "false");
        using var a = StartRecorder(broker, RecorderOutput.In(first), "recorder-a");
        using var b = StartRecorder(broker, RecorderOutput.In(second), "recorder-b");
        await broker.WaitForSubscriptionAsync("recorder-a", "$share/g/load/#");
        await broker.WaitForSubscriptionAsync("recorder-b", "$share/g/load/#");

        await PublishNumberedAsync(broker);

        // Steady state: wait until the two files hold the whole stream, then stop both recorders as users do (SIGTERM).
        await Eventually.HoldsAsync(
            () => Task.FromResult(Rows(RecorderOutput.In(first)) + Rows(RecorderOutput.In(second)) >= Count),
            () => $"the two recordings hold {Count} rows (now {Rows(RecorderOutput.In(first))} + {Rows(RecorderOutput.In(second))})",
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(500));
        a.Terminate();
        b.Terminate();
        Assert.That(await a.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero, a.Describe());
        Assert.That(await b.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero, b.Describe());

        var inA = Payloads(RecorderOutput.In(first));
        var inB = Payloads(RecorderOutput.In(second));
        TestContext.Out.WriteLine($"recorder a: {inA.Count} rows, recorder b: {inB.Count} rows");
        var distinctA = inA.ToHashSet();
        var distinctB = inB.ToHashSet();
        Assert.That(distinctA.Overlaps(distinctB), Is.False, "no message in both recordings");
        Assert.That((inA.Count, inB.Count), Is.EqualTo((distinctA.Count, distinctB.Count)), "no message twice in one recording");
        Assert.That(distinctA.Union(distinctB), Is.EquivalentTo(Enumerable.Range(0, Count)), "every message in one of them");
        Assert.That(new[] { inA.Count, inB.Count }, Is.All.GreaterThan(Count / 4), "the two recorders share the stream");
    }

    /// <summary>The payloads "0" .. "99999" at QoS 1, each acknowledged, a window of them in flight at a time. (Not
    /// mosquitto_pub -l: at the end of its input it disconnects with QoS 1 messages still unsent, here and against
    /// Mosquitto alike.)</summary>
    private static async Task PublishNumberedAsync(InProcessBroker broker)
    {
        const int window = 200;
        await using var publisher = await MqttClient.ConnectAsync(new MqttClientOptions
        {
            Host = broker.Host, Port = broker.Port, ClientId = "load-pub", ProtocolVersion = MqttProtocolVersion.V500,
        });
        for (var start = 0; start < Count; start += window)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(window, Count - start)).Select(i =>
                publisher.PublishAsync(Topic, Encoding.ASCII.GetBytes(i.ToString(CultureInfo.InvariantCulture)), MqttQualityOfService.AtLeastOnce)));
        }

        await publisher.DisconnectAsync();
    }

    private static ExternalProcess StartRecorder(InProcessBroker broker, RecorderOutput output, string clientId) =>
        AppExecutable.Start(
            "record", "--broker", broker.Host, "--port", broker.Port.ToString(CultureInfo.InvariantCulture), "--topic", "load/#",
            "--share", "g", "--client-id", clientId, "--format", "csv", "--output", output.BasePath, "--Recorder:FlushIntervalMs", "500");

    /// <summary>Rows written so far (lines after the header); 0 while the file does not exist.</summary>
    private static int Rows(RecorderOutput output)
    {
        if (!File.Exists(output.Csv))
            return 0;
        using var stream = new FileStream(output.Csv, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = 0;
        while (reader.ReadLine() is not null)
            lines++;
        return Math.Max(0, lines - 1);
    }

    private static List<int> Payloads(RecorderOutput output) =>
        [.. RecordedFiles.ReadCsv(output.Csv).Select(r => int.Parse(r.PayloadText, CultureInfo.InvariantCulture))];
}

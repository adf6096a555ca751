using System.Globalization;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Replay;
using Spectre.Console.Testing;

namespace EmbeddedBroker.Integration.Tests.Replay;

/// <summary>
/// `replay` publishes a recording into a broker nobody here wrote (Debian's mosquitto), as mosquitto_sub sees it:
/// the same topics, payloads byte for byte, order, and with --speed 1 the recorded relative timing.
/// </summary>
[TestFixture]
[NonParallelizable] // the timing test wants the CPU
[CancelAfter(240_000)]
public sealed class ReplayTests : TempFolderFixture
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private RecorderOutput Output => RecorderOutput.In(Temp);

    [TestCase(".csv")]
    [TestCase(".json")]
    [TestCase(".jsonl")]
    [TestCase(".db")]
    public async Task Ten_thousand_recorded_messages_reach_mosquitto_sub_byte_exact_and_in_order(string extension)
    {
        var messages = Recording.Tricky(10_000, Start);
        await Recording.WriteAsync(Output, messages);

        // At full speed mosquitto_sub falls behind; mosquitto's default (max_queued_messages 1000) would drop the rest.
        using var mosquitto = await MosquittoBroker.StartAsync(new MosquittoOptions { ConfigLines = ["max_queued_messages 20000"] });
        using var subscriber = await SubscribeAsync(mosquitto, "replay/#", messages.Count);

        var (code, console) = await ReplayAsync(new ReplayOptions { Source = Output.BasePath + extension, Port = mosquitto.Port, Speed = ReplayOptions.MaxSpeed, Qos = MqttQualityOfService.AtLeastOnce });

        Assert.That(code, Is.EqualTo(ReplayRunner.Success), console);
        Assert.That(console, Does.Contain("10000 sent, 0 skipped, 0 errors"));
        try
        {
            Assert.That(await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, subscriber.StandardError);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"mosquitto_sub got {Lines(subscriber).Count()} messages; mosquitto log: {mosquitto.Log}");
        }

        Assert.That(Received(subscriber).Select(r => (r.Topic, r.Hex)), Is.EqualTo(messages.Select(m => (m.Topic, Convert.ToHexStringLower(m.Payload.Span)))));
    }

    [Test]
    public async Task With_speed_1_a_ten_second_recording_keeps_its_relative_timing_within_10_ms()
    {
        var random = new Random(42);
        var offsets = Enumerable.Range(0, 120).Select(_ => random.Next(1, 10_000)).Order().Prepend(0).Append(10_000).ToList();
        var messages = offsets.Select((ms, i) => new MqttApplicationMessage
        {
            Topic = "timing/t", Payload = System.Text.Encoding.UTF8.GetBytes($"{i}"), Qos = MqttQualityOfService.AtMostOnce, ReceivedAt = Start.AddMilliseconds(ms),
        }).ToList();
        await Recording.WriteAsync(Output, messages);
        using var mosquitto = await MosquittoBroker.StartAsync();
        using var subscriber = await SubscribeAsync(mosquitto, "timing/#", messages.Count, "%U %t %x");

        var (code, console) = await ReplayAsync(new ReplayOptions { Source = Output.Csv, Port = mosquitto.Port, Speed = 1 });

        Assert.That(code, Is.EqualTo(ReplayRunner.Success), console);
        Assert.That(await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, subscriber.StandardError);
        var arrivals = Lines(subscriber)
            .Select(line => decimal.Parse(line.Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.That(arrivals, Has.Count.EqualTo(offsets.Count));
        // Relative timing: each arrival against its recorded offset, both from the replay's own start (the median
        // difference, so that one late first message does not shift them all).
        var differences = arrivals.Select((at, i) => (double)((at - arrivals[0]) * 1000m) - offsets[i]).ToList();
        var median = differences.Order().ElementAt(differences.Count / 2);
        var late = differences.Select(d => d - median).ToList();
        TestContext.Out.WriteLine($"timing error: max {late.Max(Math.Abs):0.00} ms, mean {late.Average(Math.Abs):0.00} ms; worst: "
            + string.Join(", ", late.Select((e, i) => (e, i)).OrderByDescending(x => Math.Abs(x.e)).Take(6).Select(x => $"#{x.i} {x.e:0.0}")));
        Assert.That(late, Has.All.InRange(-10.0, 10.0), "arrival offset minus recorded offset, ms");
    }

    [Test]
    public async Task Speed_10_plays_ten_times_faster()
    {
        var messages = Enumerable.Range(0, 11).Select(i => new MqttApplicationMessage { Topic = "fast/t", Payload = new[] { (byte)i }, ReceivedAt = Start.AddMilliseconds(i * 300) }).ToList();
        await Recording.WriteAsync(Output, messages);
        using var mosquitto = await MosquittoBroker.StartAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, console) = await ReplayAsync(new ReplayOptions { Source = Output.JsonLines, Port = mosquitto.Port, Speed = 10 });

        Assert.That(code, Is.EqualTo(ReplayRunner.Success), console);
        Assert.That(clock.Elapsed.TotalMilliseconds, Is.InRange(290, 1500), "3 s of recording at 10x");
    }

    [Test]
    public async Task From_to_and_topic_select_what_is_sent_and_the_rest_is_counted_as_skipped()
    {
        var messages = Enumerable.Range(0, 100).Select(i => new MqttApplicationMessage
        {
            Topic = i % 2 == 0 ? "keep/t" : "other/t", Payload = System.Text.Encoding.UTF8.GetBytes($"{i}"), ReceivedAt = Start.AddSeconds(i),
        }).ToList();
        await Recording.WriteAsync(Output, messages);
        using var mosquitto = await MosquittoBroker.StartAsync();
        using var subscriber = await SubscribeAsync(mosquitto, "#", 10);

        var (code, console) = await ReplayAsync(new ReplayOptions
        {
            Source = Output.Json, Port = mosquitto.Port, Speed = ReplayOptions.MaxSpeed, TopicFilter = "keep/#", From = Start.AddSeconds(20), To = Start.AddSeconds(38),
        });

        Assert.That(code, Is.EqualTo(ReplayRunner.Success), console);
        Assert.That(console, Does.Contain("10 sent, 90 skipped, 0 errors"));
        Assert.That(await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.Zero);
        Assert.That(Received(subscriber).Select(r => Convert.FromHexString(r.Hex)).Select(b => System.Text.Encoding.UTF8.GetString(b)),
            Is.EqualTo(Enumerable.Range(20, 19).Where(i => i % 2 == 0).Select(i => $"{i}")));
    }

    [TestCase(ReplayRetain.Keep, true)]
    [TestCase(ReplayRetain.Drop, false)]
    public async Task Retain_keep_makes_recorded_retained_messages_retained_again_and_drop_does_not(ReplayRetain retain, bool expectRetained)
    {
        await Recording.WriteAsync(Output, [new MqttApplicationMessage { Topic = "state/door", Payload = "open"u8.ToArray(), Retain = true, ReceivedAt = Start }]);
        using var mosquitto = await MosquittoBroker.StartAsync();

        var (code, console) = await ReplayAsync(new ReplayOptions { Source = Output.Csv, Port = mosquitto.Port, Retain = retain, Speed = ReplayOptions.MaxSpeed });
        Assert.That(code, Is.EqualTo(ReplayRunner.Success), console);

        // A subscriber that comes afterwards gets the retained message only if it was published retained (MQTT-3.3.1-6).
        var (_, output, _) = await MosquittoClients.SubscribeAsync(mosquitto.Port, "-t", "state/#", "-W", "1", "-v");
        Assert.That(output.Trim(), Is.EqualTo(expectRetained ? "state/door open" : ""));
    }

    [Test]
    public async Task A_missing_recording_and_an_unreachable_broker_are_one_line_errors_with_their_exit_codes()
    {
        var (missing, missingText) = await ReplayAsync(new ReplayOptions { Source = Temp.Combine("nothing.csv") });
        await Recording.WriteAsync(Output, [new MqttApplicationMessage { Topic = "t", Payload = "x"u8.ToArray(), ReceivedAt = Start }]);
        var (unreachable, unreachableText) = await ReplayAsync(new ReplayOptions { Source = Output.Csv, Port = FreePort.Next() });
        var (badFormat, badText) = await ReplayAsync(new ReplayOptions { Source = Output.BasePath + ".txt" });

        Assert.That((missing, unreachable), Is.EqualTo((ReplayRunner.BadInput, ReplayRunner.Unreachable)));
        Assert.That(missingText, Does.Contain("nothing.csv: no such file."));
        Assert.That(unreachableText, Does.Contain("cannot connect to 127.0.0.1:"));
        Assert.That(badFormat, Is.EqualTo(ReplayRunner.BadInput), badText);
    }

    [Test]
    public async Task The_replay_command_line_publishes_the_selected_messages_at_the_chosen_qos_and_exits_0()
    {
        var messages = Recording.Tricky(200, Start);
        await Recording.WriteAsync(Output, messages);
        var selected = messages.Where(m => MqttTopic.Matches("replay/+/even", m.Topic)).ToList();
        Assume.That(selected, Is.Not.Empty);
        using var mosquitto = await MosquittoBroker.StartAsync();
        using var subscriber = await SubscribeAsync(mosquitto, "replay/#", selected.Count);

        using var replay = AppExecutable.Start("replay", Output.JsonLines, "--broker", "127.0.0.1", "--port", mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            "--speed", "max", "--topic", "replay/+/even", "--qos", "1", "--retain", "drop", "--no-progress");

        Assert.That(await replay.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(ReplayRunner.Success), replay.Describe());
        Assert.That(replay.StandardOutput, Does.Contain($"{selected.Count} sent, {messages.Count - selected.Count} skipped, 0 errors"));
        Assert.That(await subscriber.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.Zero, subscriber.StandardError);
        Assert.That(Received(subscriber).Select(r => (r.Topic, r.Hex)), Is.EqualTo(selected.Select(m => (m.Topic, Convert.ToHexStringLower(m.Payload.Span)))));
    }

    [Test]
    public async Task A_bad_replay_option_value_stops_with_one_line_naming_it_and_exit_2()
    {
        using var replay = AppExecutable.Start("replay", Output.Csv, "--speed", "fast");

        Assert.That(await replay.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(2));
        Assert.That(replay.StandardError, Does.Contain("--speed 'fast' is not valid: use a speed factor greater than 0"));
    }

    private static async Task<(int Code, string Console)> ReplayAsync(ReplayOptions options)
    {
        var console = new TestConsole().Width(1000);
        var code = await new ReplayRunner(console).RunAsync(options, CancellationToken.None);
        return (code, console.Output);
    }

    /// <summary>
    /// A mosquitto_sub that has surely subscribed: a retained probe message is published first, and the subscriber
    /// prints it right after its SUBSCRIBE is handled (its count includes the probe; <see cref="Lines"/> leaves it out).
    /// </summary>
    private static async Task<ExternalProcess> SubscribeAsync(MosquittoBroker mosquitto, string filter, int count, string format = "%t %x")
    {
        var (code, _, error) = await MosquittoClients.PublishAsync(mosquitto.Port, "-t", ProbeTopic, "-m", "ready", "-r");
        Assert.That(code, Is.Zero, error);
        string[] topics = filter == "#" ? ["-t", "#"] : ["-t", filter, "-t", ProbeTopic];
        var subscriber = MosquittoClients.StartSubscriber(mosquitto.Port, [.. topics, "-q", "1", "-C", (count + 1).ToString(CultureInfo.InvariantCulture), "-W", "120", "-F", format]);
        await subscriber.WaitForOutputAsync(ProbeTopic, TimeSpan.FromSeconds(10));
        return subscriber;
    }

    private const string ProbeTopic = "probe/ready";

    private static IEnumerable<string> Lines(ExternalProcess subscriber) =>
        subscriber.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.Contains(ProbeTopic, StringComparison.Ordinal));

    private static List<(string Topic, string Hex)> Received(ExternalProcess subscriber) =>
        [.. Lines(subscriber).Select(line =>
        {
            var parts = line.Split(' ');
            return (parts[0], parts.Length > 1 ? parts[1] : "");
        })];
}

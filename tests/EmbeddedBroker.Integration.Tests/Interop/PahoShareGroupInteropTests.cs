using System.Globalization;
using EmbeddedBroker.Integration.Tests.Infrastructure;

namespace EmbeddedBroker.Integration.Tests.Interop;

/// <summary>
/// Three python3 paho-mqtt MQTT 5 clients in one share group `$share/g/...` (MQTT 5.0 section 4.8.2) against the real
/// host: each message goes to one member, the members share the stream, and a member killed mid-stream at QoS 1 loses
/// nothing (its unacknowledged messages go to the others, as 4.8.2 says the Server SHOULD).
/// </summary>
[TestFixture]
[CancelAfter(90_000)]
public sealed class PahoShareGroupInteropTests
{
    private const int Members = 3;
    private const int ReceiveMaximum = 10;
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Scripts", "paho_share.py");
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private InProcessBroker broker = null!;

    [SetUp]
    public async Task StartBroker() => broker = await InProcessBroker.StartAsync("--Recorder:Enabled", "false");

    [TearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Each_message_goes_to_exactly_one_of_three_paho_members_and_all_share_the_stream_MQTT_4_8_2([Values(0, 1, 2)] int qos)
    {
        const int count = 300;
        var topic = $"share/q{qos}";
        var members = await StartMembersAsync($"m{qos}", topic, qos, victimDelayMs: 0);
        try
        {
            await PublishAsync(topic, qos, count, intervalMs: 0);
            await Eventually.HoldsAsync(() => members.Sum(m => Received(m).Count) >= count, $"the group received {count} messages", TimeSpan.FromSeconds(30));
            await Task.Delay(500); // a copy too many would show up now

            var perMember = members.Select(Received).ToList();
            var all = perMember.SelectMany(ids => ids).ToList();
            TestContext.Out.WriteLine($"QoS {qos}: per member {string.Join(", ", perMember.Select(ids => ids.Count))}");
            Assert.That(all, Is.EquivalentTo(Enumerable.Range(0, count)), "each message delivered to exactly one member of the group");
            Assert.That(perMember.Select(ids => ids.Count), Is.All.GreaterThanOrEqualTo(count / Members / 2), "the members share the stream (round robin)");
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }

    [Test]
    public async Task A_member_killed_mid_stream_at_qos_1_loses_nothing_and_only_its_unacknowledged_messages_come_twice_MQTT_4_8_2()
    {
        const int count = 1500;
        const string topic = "share/kill";
        // The first member acknowledges 20 ms after printing: when it is killed its window (Receive Maximum) is full.
        var members = await StartMembersAsync("k", topic, qos: 1, victimDelayMs: 20);
        try
        {
            using var publisher = ExternalProcess.Start(ThirdPartyTools.Python, Script, broker.Host, Port, "publish", topic, "1", Text(count), "2");
            var victim = members[0];
            await Eventually.HoldsAsync(() => Received(victim).Count >= 50, "the first member received 50 messages", StartTimeout);
            victim.Kill(); // SIGKILL: no DISCONNECT, no PUBACK for what it holds; its session (expiry 0) ends with the socket
            await victim.WaitForExitAsync(TimeSpan.FromSeconds(10)); // and its output is read to the end
            var victimReceived = Received(victim);

            Assert.That(await publisher.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, publisher.Describe());
            var survivors = members.Skip(1).ToList();
            await Eventually.HoldsAsync(
                () => victimReceived.Concat(survivors.SelectMany(Received)).Distinct().Count() >= count,
                $"every one of the {count} messages reached some member",
                TimeSpan.FromSeconds(30));

            var all = victimReceived.Concat(survivors.SelectMany(Received)).ToList();
            var twice = all.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            TestContext.Out.WriteLine($"victim {victimReceived.Count} before the kill, survivors {string.Join(", ", survivors.Select(m => Received(m).Count))}, received twice {twice.Count}");
            Assert.That(all.Distinct(), Is.EquivalentTo(Enumerable.Range(0, count)), "nothing lost at QoS 1");
            Assert.That(survivors.Select(m => Received(m).Count), Is.All.GreaterThan(0));
            Assert.That(twice, Is.SubsetOf(victimReceived), "only messages the killed member had were delivered again");
            Assert.That(twice, Has.Count.LessThanOrEqualTo(ReceiveMaximum), "at most its in-flight window (its Receive Maximum) comes twice");
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }

    private string Port => broker.Port.ToString(CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The message numbers a member printed, in order (its first line is "ready").</summary>
    private static List<int> Received(ExternalProcess member) =>
        [.. member.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line != "ready")
            .Select(line => int.Parse(line, CultureInfo.InvariantCulture))];

    /// <summary>Starts the members and waits until each has its SUBACK; the first one waits <paramref name="victimDelayMs"/>
    /// before each acknowledgement.</summary>
    private async Task<List<ExternalProcess>> StartMembersAsync(string prefix, string topic, int qos, int victimDelayMs)
    {
        var filter = $"$share/g/{topic}";
        var members = Enumerable.Range(1, Members)
            .Select(i => ExternalProcess.Start(
                ThirdPartyTools.Python, Script, broker.Host, Port, "member", $"{prefix}-{i}", filter, Text(qos), Text(ReceiveMaximum), Text(i == 1 ? victimDelayMs : 0)))
            .ToList();
        try
        {
            foreach (var member in members)
                await member.WaitForOutputAsync("ready", StartTimeout);
        }
        catch
        {
            members.ForEach(m => m.Dispose());
            throw;
        }

        return members;
    }

    private async Task PublishAsync(string topic, int qos, int count, int intervalMs)
    {
        var run = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(60), ThirdPartyTools.Python, Script, broker.Host, Port, "publish", topic, Text(qos), Text(count), Text(intervalMs));
        Assert.That(run.ExitCode, Is.Zero, $"{run.Output}\n{run.Error}");
    }
}

using System.Globalization;
using EmbeddedBroker.Fuzzing;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Tests.Fuzz;

/// <summary>
/// 20,000 seeded fuzz packets (valid, breaking one spec statement, blindly mutated, random) of MQTT 3.1, 3.1.1 and 5.0
/// against one in-process broker while a canary pair keeps publishing and receiving. Set FUZZ_SEED to replay or vary
/// the run; every violation names its seed and session. The long run over TCP is bench/scripts/fuzz-long.sh.
/// </summary>
[TestFixture]
[NonParallelizable] // watches process-wide unobserved task exceptions
public sealed class ProtocolFuzzTests
{
    private const int DefaultSeed = 17_2024;
    private const long Packets = 20_000;
    private const long WarmUpPackets = 2_000;
    private const long MemorySlackBytes = 4 * 1024 * 1024;

    private static readonly MqttBrokerOptions FuzzedBroker = new()
    {
        EnableSysTopics = false,
        Capabilities = new MqttCapabilities { MaximumPacketSize = 64 * 1024 },
        // Sessions a mutated CONNECT or DISCONNECT made persistent, and delayed wills, end within a second or two.
        PersistentSessionExpiry = TimeSpan.FromSeconds(1),
        MaximumSessionExpiryInterval = 1,
    };

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
        ? seed
        : DefaultSeed;

    [Test]
    [CancelAfter(180_000)]
    public async Task Fuzzed_packets_close_only_their_own_connection_with_the_spec_reason_code_and_the_broker_returns_to_its_baseline_MQTT_4_8_0_1()
    {
        var unobserved = new List<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            lock (unobserved)
                unobserved.Add(e.Exception);
        }

        TaskScheduler.UnobservedTaskException += OnUnobserved;
        var logs = new FaultWatchingLoggerFactory();
        var broker = new MqttBroker(FuzzedBroker, loggerFactory: logs);
        try
        {
            var canary = await CanaryPair.StartAsync(broker);
            await using (canary)
            {
                var connections = new InMemoryFuzzConnections(broker);
                var options = new FuzzRunOptions
                {
                    Seed = Seed,
                    Packets = Packets,
                    Parallelism = 8,
                    Limits = new FuzzLimits { MaximumPacketSize = FuzzedBroker.Capabilities.MaximumPacketSize, TopicAliasMaximum = FuzzedBroker.Capabilities.TopicAliasMaximum },
                };

                // A short run first (another seed) fills what is meant to stay: pooled buffers, JIT, the tree's root levels.
                var warmUp = await FuzzRun.RunAsync(options with { Seed = Seed + 1, Packets = WarmUpPackets }, connections.ConnectAsync, CancellationToken.None);
                Assert.That(warmUp.ViolationCount, Is.Zero, $"FUZZ_SEED={Seed} (warm-up seed {Seed + 1}): {warmUp.Summary()}");
                await RemoveRetainedAsync(broker);
                var baseline = await SettledAsync(broker);

                var report = await FuzzRun.RunAsync(options, connections.ConnectAsync, CancellationToken.None);
                var published = await canary.StopAsync();
                TestContext.Out.WriteLine(report.Summary());
                TestContext.Out.WriteLine($"canary: {published} messages, latency {canary.Latency()}");
                TestContext.Out.WriteLine($"broker: {broker.Statistics.MalformedPackets} malformed, {broker.Statistics.ProtocolViolations} protocol violations, {broker.Statistics.ConnectionsRejected} CONNECTs refused");

                Assert.That(report.ViolationCount, Is.Zero, $"FUZZ_SEED={Seed}: {report.Summary()}");
                Assert.That(report.Packets, Is.GreaterThanOrEqualTo(Packets));
                Assert.That(report.Mutated, Is.GreaterThan(Packets / 3), "most packets are not valid");
                Assert.That(connections.Unfinished, Is.Empty, "the broker finished every connection once its client went away");
                Assert.That(canary.MaximumLatencyMs(), Is.LessThan(5_000), "the canary never waited seconds for a message");

                await RemoveRetainedAsync(broker);
                var after = await SettledAsync(broker);
                TestContext.Out.WriteLine($"baseline: {baseline}; after: {after}");
                Assert.That(after.Connections, Is.EqualTo(baseline.Connections), "connection count back to the canaries");
                Assert.That(after.Sessions, Is.EqualTo(baseline.Sessions), "every fuzz session ended or expired");
                Assert.That(after.Subscriptions, Is.EqualTo(baseline.Subscriptions));
                Assert.That(after.HeldBytes, Is.Zero, "the memory budget got every byte back (the canary is stopped: nothing is in flight)");
                Assert.That(after.ManagedBytes, Is.LessThan(baseline.ManagedBytes + MemorySlackBytes), "managed memory back near its baseline");
            }
        }
        finally
        {
            await broker.DisposeAsync();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        TestContext.Out.WriteLine($"log lines: {logs.Count(LogLevel.Debug)} debug, {logs.Count(LogLevel.Information)} information, {logs.Count(LogLevel.Warning)} warning");
        Assert.That(logs.Errors, Is.Empty, "nothing failed unexpectedly");
        Assert.That(logs.Exceptions.Values, Is.Empty, "no exception was swallowed into a log line (in memory there is no transport to fail)");
        Assert.That(unobserved, Is.Empty, "no task faulted unobserved");
    }

    private static async Task RemoveRetainedAsync(MqttBroker broker)
    {
        // Fuzz sessions may legitimately retain messages on their own topics; an empty retained message removes each
        // (MQTT-3.3.1-10), so that what is left to compare is only what the broker should have let go of.
        foreach (var retained in broker.GetRetainedMessages())
        {
            await broker.PublishAsync(new MqttApplicationMessage { Topic = retained.Topic, Payload = ReadOnlyMemory<byte>.Empty, Retain = true, Source = MessageSource.Api });
        }

        Assert.That(broker.Statistics.RetainedCount, Is.Zero);
    }

    /// <summary>The broker's figures once expired sessions and delayed wills are gone (they end within two seconds here).</summary>
    private static async Task<Figures> SettledAsync(MqttBroker broker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        Figures figures;
        do
        {
            await Task.Delay(200);
            figures = Figures.Of(broker);
        }
        while ((figures.Connections != 2 || figures.Sessions != 2) && DateTime.UtcNow < deadline);
        await Task.Delay(2_500); // one more expiry sweep for sessions detached at the very end
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return Figures.Of(broker);
    }

    private sealed record Figures(long Connections, long Sessions, long Subscriptions, long HeldBytes, long ManagedBytes)
    {
        public static Figures Of(MqttBroker broker) => new(broker.Statistics.ConnectionsCurrent, broker.Statistics.SessionsCount,
            broker.Statistics.SubscriptionsCount, broker.Statistics.HeldBytes, GC.GetTotalMemory(forceFullCollection: true));
    }
}

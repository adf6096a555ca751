using System.Diagnostics;
using EmbeddedBroker.Persistence.Tests.Support;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>
/// A measurement, not a regression test (run it by name): one million retained messages written through the store,
/// then loaded by a new one, reporting the write and load times, the file size and the managed memory the loaded state
/// holds. dotnet test --filter "FullyQualifiedName~LoadMeasurement" -c Release
/// </summary>
[Explicit("a measurement of about a minute; run by name")]
[NonParallelizable]
public sealed class LoadMeasurementTests
{
    private const int Count = 1_000_000;

    [Test]
    public async Task One_million_retained_messages_load_quickly_and_lean()
    {
        await using var folder = new StoreFolder();
        var options = StoreFolder.Fast with { FlushInterval = TimeSpan.FromSeconds(1), MaximumPendingChanges = 2 * Count, MaximumPendingBytes = 1L << 30 };

        var writeClock = Stopwatch.StartNew();
        var writer = folder.Open(options);
        await writer.LoadAsync(CancellationToken.None);
        var receivedAt = DateTimeOffset.UtcNow;
        for (var i = 0; i < Count; i++)
        {
            writer.SetRetained(new MqttApplicationMessage
            {
                Topic = $"sensors/{i / 1000}/{i % 1000}/state",
                Payload = BitConverter.GetBytes((long)i * 31),
                Qos = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                SourceClientId = "simulator-1",
                ReceivedAt = receivedAt,
            });
        }
        var handedOver = writeClock.Elapsed;
        await writer.DisposeAsync();
        var written = writeClock.Elapsed;
        var fileBytes = new FileInfo(folder.Path).Length;

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var loadClock = Stopwatch.StartNew();
        var reader = folder.Open(options);
        var state = await reader.LoadAsync(CancellationToken.None);
        var loaded = loadClock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var held = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;

        Assert.That(state.Retained, Has.Count.EqualTo(Count));
        TestContext.Out.WriteLine($"write: {Count:N0} changes handed over in {handedOver.TotalMilliseconds:F0} ms, all committed after {written.TotalMilliseconds:F0} ms; file {fileBytes / 1024.0 / 1024.0:F1} MiB");
        TestContext.Out.WriteLine($"load: {loaded.TotalMilliseconds:F0} ms (open + quick_check + read), managed memory held by the loaded state {held / 1024.0 / 1024.0:F1} MiB " +
            $"({held / Count} B per message), allocated while loading {allocated / 1024.0 / 1024.0:F1} MiB");
        state = null!;
        var rereadClock = Stopwatch.StartNew();
        var again = await reader.LoadAsync(CancellationToken.None);
        TestContext.Out.WriteLine($"read alone (second LoadAsync, no open or check): {rereadClock.Elapsed.TotalMilliseconds:F0} ms for {again.Retained.Count:N0} messages");
        Assert.That(loaded, Is.LessThan(TimeSpan.FromSeconds(10)));
    }
}

using System.Diagnostics;
using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmbeddedBroker.Persistence.Tests.Support;

/// <summary>
/// The child process of the crash test: sets retained message "crash/N" (payload N) about once per millisecond and
/// prints "N elapsed-ms" after handing each one over, until it is killed. Never stops the store: what is on disk when
/// the kill comes is what a crash leaves.
/// </summary>
internal static class CrashWriter
{
    public static int Run(string path)
    {
        var options = new PersistenceOptions { Path = path };
        var store = new SqliteBrokerStore(options, new PersistenceStatistics(), NullLogger.Instance, TimeProvider.System);
        store.LoadAsync(CancellationToken.None).GetAwaiter().GetResult();
        var clock = Stopwatch.StartNew();
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        for (var n = 0; ; n++)
        {
            store.SetRetained(new MqttApplicationMessage
            {
                Topic = $"crash/{n}",
                Payload = BitConverter.GetBytes(n),
                Qos = MqttQualityOfService.AtLeastOnce,
                Retain = true,
            });
            output.WriteLine($"{n} {clock.Elapsed.TotalMilliseconds:F1}");
            Thread.Sleep(1);
        }
    }
}

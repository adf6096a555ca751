using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using EmbeddedBroker.Fuzz;
using EmbeddedBroker.Fuzzing;

// The long fuzz run over TCP (bench/scripts/fuzz-long.sh): canary pair up, RSS before, a million fuzz packets with RSS
// sampled along the way, canary checked, broker figures and RSS after. Exit code 0 only when nothing was violated.
LongRunOptions options;
try
{
    options = LongRunOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

var report = new LongRunReport();
await using var canary = await TcpCanary.StartAsync(options.Host, options.Port);
await Task.Delay(TimeSpan.FromSeconds(3));
report.RssBeforeMiB = ProcessMemory.ResidentMiB(options.BrokerPid);
var clock = Stopwatch.StartNew();
var nextSample = 0L;
var fuzz = new FuzzRunOptions
{
    Seed = options.Seed,
    Packets = options.Packets,
    Parallelism = options.Parallelism,
    OnlySession = options.Session,
    Limits = new FuzzLimits { MaximumPacketSize = options.MaximumPacketSize, TopicAliasMaximum = options.TopicAliasMaximum },
    Progress = progress =>
    {
        var step = Math.Max(options.Packets / 20, 1);
        var due = Interlocked.Read(ref nextSample);
        if (progress.Packets < due || Interlocked.CompareExchange(ref nextSample, due + step, due) != due)
            return;
        var rss = ProcessMemory.ResidentMiB(options.BrokerPid);
        report.Sample(progress.Packets, clock.Elapsed.TotalSeconds, rss);
        Console.WriteLine($"{progress.Packets,9:N0} packets, {progress.Sessions,8:N0} connections, {progress.ViolationCount} violations, {clock.Elapsed.TotalSeconds,5:0} s, broker RSS {rss:0.0} MiB");
    },
};

try
{
    report.Fuzz = await FuzzRun.RunAsync(fuzz, ConnectAsync, CancellationToken.None);
}
catch (SocketException ex)
{
    report.Crash = $"the broker stopped accepting connections: {ex.Message}";
}

report.Seconds = clock.Elapsed.TotalSeconds;
report.Canary = await canary.StopAsync();
report.CanaryLatency = canary.Latency();
report.BrokerAfter = await SettledFiguresAsync(options.StatsUrl);
report.RssAfterMiB = ProcessMemory.ResidentMiB(options.BrokerPid);
report.BrokerAlive = ProcessMemory.IsAlive(options.BrokerPid);
var markdown = report.ToMarkdown(options);
Console.WriteLine();
Console.WriteLine(markdown);
if (report.Fuzz is { } finished)
    Console.WriteLine(finished.Summary());
if (options.Report is { } path)
    await File.WriteAllTextAsync(path, markdown);
return report.Passed ? 0 : 1;

async ValueTask<IFuzzTransport> ConnectAsync(CancellationToken cancellationToken)
{
    // A refused connect under load is retried a little; one that keeps failing means the broker is gone.
    for (var attempt = 1; ; attempt++)
    {
        try
        {
            return await TcpFuzzTransport.ConnectAsync(options.Host, options.Port, cancellationToken);
        }
        catch (SocketException) when (attempt < 5)
        {
            await Task.Delay(200 * attempt, cancellationToken);
        }
    }
}

// Connections and sessions once the fuzz connections are gone and leftover sessions expired (the script sets a short
// expiry): what the broker still holds besides the two canaries.
static async Task<string> SettledFiguresAsync(Uri? statsUrl)
{
    if (statsUrl is null)
        return "no stats URL";
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    JsonElement stats = default;
    for (var i = 0; i < 30; i++)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        stats = await http.GetFromJsonAsync<JsonElement>(statsUrl);
        if (stats.GetProperty("connections").GetProperty("current").GetInt64() <= 2 && stats.GetProperty("sessions").GetInt64() <= 2)
            break;
    }

    return $"after the run: {stats.GetProperty("connections").GetProperty("current")} connections, {stats.GetProperty("sessions")} sessions, "
        + $"{stats.GetProperty("subscriptions")} subscriptions, {stats.GetProperty("retained")} retained messages (the canaries: 2 connections, 2 sessions, 1 subscription)";
}

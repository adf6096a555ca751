using System.Diagnostics;
using System.Globalization;
using EmbeddedBroker.LiveConsole;
using EmbeddedBroker.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;

namespace EmbeddedBroker.Web.Tests.Api;

/// <summary>
/// Clients that send a request byte by byte (slowloris) are cut by the listener's limits (Web:Requests, Kestrel's
/// RequestHeadersTimeout and MinRequestBodyDataRate): answered 408 (RFC 9110 section 15.5.9) and disconnected within
/// the configured time, counted, and logged once per interval, never as an unhandled exception.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class SlowRequestTests
{
    private static readonly TimeSpan BytePause = TimeSpan.FromMilliseconds(250); // 4 bytes/s, far below 240
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(3); // Kestrel checks its timeouts once a second

    [Test]
    public async Task A_POST_body_trickled_byte_by_byte_is_answered_408_and_cut_after_the_grace_period()
    {
        var grace = TimeSpan.FromSeconds(2);
        await using var broker = await WebBroker.StartAsync("--Web:Requests:BodyGracePeriod", "00:00:02");
        var capture = broker.Services.GetRequiredService<ConsoleLogCapture>();
        capture.IsCapturing = true;

        // Several at once: each is answered, and they make one log line, not one each.
        const int slowClients = 4;
        var results = await Task.WhenAll(Enumerable.Range(0, slowClients).Select(_ => TrickleBodyAsync(broker.WebSocketPort)));

        foreach (var (response, elapsed) in results)
        {
            Assert.That(response, Is.Not.Null, "the server closed the connection");
            Assert.That(response, Does.StartWith("HTTP/1.1 408"));
            Assert.That(response, Does.Contain("MinBodyBytesPerSecond"));
            Assert.That(elapsed, Is.LessThan(grace + Tolerance), "cut within the grace period plus the server's check interval");
        }

        Assert.That(await TimedOutBodiesAsync(broker), Is.EqualTo(slowClients));
        var events = capture.Last(ConsoleLogCapture.Capacity);
        Assert.That(events.Where(e => e.Level >= LogEventLevel.Error).Select(e => e.RenderMessage(CultureInfo.InvariantCulture)), Is.Empty, "no unhandled exception");
        Assert.That(events.Count(e => e.RenderMessage(CultureInfo.InvariantCulture).Contains("slower than Web:Requests:MinBodyBytesPerSecond", StringComparison.Ordinal)),
            Is.EqualTo(1), "one line per interval, however many slow bodies");
        Assert.That(events.Where(e => e.Exception is not null), Is.Empty, "no stack trace");

        // The listener still serves normal requests.
        using var ok = await broker.PostJsonAsync("/api/publish", """{"topic":"t/after","payload":"x"}""");
        Assert.That((int)ok.StatusCode, Is.EqualTo(200));
    }

    [Test]
    public async Task Request_headers_trickled_byte_by_byte_are_answered_408_and_cut_at_HeadersTimeout()
    {
        var timeout = TimeSpan.FromSeconds(2);
        await using var broker = await WebBroker.StartAsync("--Web:Requests:HeadersTimeout", "00:00:02");
        using var client = await TricklingHttpClient.ConnectAsync(broker.WebSocketPort);
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        var trickling = client.TrickleAsync("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + new string('a', 200) + "\r\n\r\n", BytePause, stop.Token);
        var response = await client.ReadUntilClosedAsync(timeout + Tolerance + TimeSpan.FromSeconds(2));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await trickling;

        Assert.That(response, Is.Not.Null, "the server closed the connection");
        Assert.That(response, Does.StartWith("HTTP/1.1 408"));
        Assert.That(elapsed, Is.LessThan(timeout + Tolerance));
    }

    [Test]
    public async Task A_body_sent_at_a_normal_pace_in_pieces_is_accepted()
    {
        await using var broker = await WebBroker.StartAsync("--Web:Requests:BodyGracePeriod", "00:00:02");
        using var client = await TricklingHttpClient.ConnectAsync(broker.WebSocketPort);
        const string body = """{"topic":"t/paced","payload":"hello"}""";

        await client.SendAsync(Head(body.Length) + body[..10]);
        await Task.Delay(TimeSpan.FromSeconds(1)); // a pause inside the grace period
        await client.SendAsync(body[10..]);
        var response = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(10));

        Assert.That(response, Does.StartWith("HTTP/1.1 200"));
    }

    [Test]
    public async Task Invalid_request_limits_stop_start_up_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () => await WebBroker.StartAsync("--Web:Requests:BodyGracePeriod", "00:00:01"));

        Assert.That(failure.Message, Does.Contain("Web:Requests:BodyGracePeriod"));
    }

    private static async Task<(string? Response, TimeSpan Elapsed)> TrickleBodyAsync(int port)
    {
        using var client = await TricklingHttpClient.ConnectAsync(port);
        const string body = """{"topic":"t/slow","payload":"this body comes one byte at a time"}""";
        await client.SendAsync(Head(body.Length));
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var trickling = client.TrickleAsync(body, BytePause, stop.Token);
        var response = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(15));
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await trickling;
        return (response, elapsed);
    }

    private static string Head(int contentLength) =>
        "POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n" +
        $"Content-Length: {contentLength}\r\n\r\n";

    private static Task<long> TimedOutBodiesAsync(WebBroker broker) => MetricsScrape.CounterAsync(broker, "embeddedbroker_http_request_bodies_timed_out_total");
}

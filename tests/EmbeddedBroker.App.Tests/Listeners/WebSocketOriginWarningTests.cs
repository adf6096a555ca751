using System.Globalization;

namespace EmbeddedBroker.App.Tests.Listeners;

/// <summary>The start-up warning of issue 10: while anonymous access is on, MQTT over WebSocket from pages of any
/// origin is the default, and the log says so until Web:WebSocketAllowedOrigins lists the pages' origins.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class WebSocketOriginWarningTests
{
    private const string Warning = "accepts pages of any origin while anonymous access is on";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Test]
    public async Task Anonymous_websocket_listener_without_allowed_origins_warns_that_any_page_may_use_it()
    {
        using var exports = new TempFolder();
        using var app = await AppProcess.StartAsync(RecorderOutput.In(exports), WebSocketOn());

        await app.Process.WaitForOutputAsync(Warning, Timeout);
        Assert.That(await app.TerminateAsync(Timeout), Is.Zero);
    }

    [Test]
    public async Task Listed_websocket_origins_silence_the_warning()
    {
        using var exports = new TempFolder();
        using var app = await AppProcess.StartAsync(RecorderOutput.In(exports), [.. WebSocketOn(), "--Web:WebSocketAllowedOrigins:0", "https://pages.example"]);

        await app.Process.WaitForOutputAsync("Application started", Timeout);
        Assert.That(await app.TerminateAsync(Timeout), Is.Zero);
        Assert.That(app.Process.StandardOutput, Does.Not.Contain(Warning));
    }

    private static string[] WebSocketOn() =>
        ["--Listeners:WebSocket:Enabled", "true", "--ws-port", FreePort.Next().ToString(CultureInfo.InvariantCulture), "--ws-bind", "127.0.0.1"];
}

using System.Globalization;
using EmbeddedBroker.Protocol;
using Serilog.Events;
using Serilog.Formatting.Display;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace EmbeddedBroker.LiveConsole;

/// <summary>
/// One frame of the live console (Spectre.Console): the pinned status panel (clients, rate, recorder state and files,
/// drops, keys), the aligned table of the latest messages (time, topic, QoS, retain, client, payload), and the last
/// log events (connects, disconnects, warnings) below, apart from the messages. Text from the network is never
/// markup: it goes in <see cref="Text"/>, so a topic like "a/[red]" prints as is.
/// </summary>
internal static class LiveDisplayRenderer
{
    public const string KeysHint = "Type q to quit · p pause · f filter";

    private static readonly MessageTemplateTextFormatter MessageOnly = new("{Message:lj}");

    public static IRenderable Render(ConsoleStatus status, IEnumerable<MqttApplicationMessage> rows, IReadOnlyList<LogEvent> events, ConsoleViewState view, int payloadLength)
    {
        return new Rows(StatusPanel(status, view), MessageTable(rows, payloadLength), Events(events));
    }

    private static Panel StatusPanel(ConsoleStatus status, ConsoleViewState view)
    {
        var recorderStyle = status.Recorder.IsFailing ? new Style(Color.Red, decoration: Decoration.Bold) : new Style(Color.Green);
        var lines = new List<IRenderable>
        {
            new Text(string.Create(CultureInfo.InvariantCulture,
                $"{status.Connection} · {status.MessagesPerSecond:N0} msg/s · {status.Seen:N0} messages · {status.NotShown:N0} not shown (over the lines-per-second budget)")),
            new Paragraph()
                .Append(status.Recorder.IsFailing ? "recorder FAILING: " : "recorder ok: ", recorderStyle)
                .Append(status.Recorder.Description, status.Recorder.IsFailing ? new Style(Color.Red) : Style.Plain),
            new Text(status.Files.Count == 0 ? "files: none (recorder off)" : "files: " + string.Join(", ", status.Files), new Style(Color.Grey)),
        };
        var modes = new List<string>();
        if (view.Typing is { } typing)
        {
            modes.Add($"filter: {typing}_  (Enter applies, Esc cancels)");
        }
        else if (view.Filter.Length > 0)
        {
            modes.Add($"filter: {view.Filter}");
        }

        if (view.Paused)
        {
            modes.Add("PAUSED (p resumes)");
        }

        if (modes.Count > 0)
        {
            lines.Add(new Text(string.Join(" · ", modes), new Style(Color.Yellow)));
        }

        return new Panel(new Rows(lines))
            .Header($"EmbeddedBroker · {KeysHint}")
            .BorderColor(status.Recorder.IsFailing ? Color.Red : Color.Blue)
            .Expand();
    }

    private static Table MessageTable(IEnumerable<MqttApplicationMessage> rows, int payloadLength)
    {
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn(new TableColumn("time").NoWrap());
        table.AddColumn(new TableColumn("topic").NoWrap());
        table.AddColumn(new TableColumn("QoS").Centered().NoWrap());
        table.AddColumn(new TableColumn("retain").Centered().NoWrap());
        table.AddColumn(new TableColumn("client").NoWrap());
        table.AddColumn(new TableColumn("payload").NoWrap());
        foreach (var message in rows)
        {
            table.AddRow(
                new Text(message.ReceivedAt.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture), new Style(Color.Grey)),
                new Text(Cut(message.Topic, 48), new Style(Color.Aqua)),
                new Text(((int)message.Qos).ToString(CultureInfo.InvariantCulture), new Style(QosColour(message.Qos))),
                new Text(message.Retain ? "r" : "", new Style(Color.Fuchsia)),
                new Text(Cut(message.SourceClientId ?? "-", 24), new Style(Color.Green)),
                new Text(ConsoleLineFormatter.PayloadPreview(message.Payload.Span, payloadLength)));
        }

        return table;
    }

    private static Rows Events(IReadOnlyList<LogEvent> events) =>
        new(events.Select(e => (IRenderable)new Text(
            $"{e.Timestamp.ToLocalTime():HH:mm:ss} {Level(e.Level)} {Cut(Message(e), 200)}",
            new Style(e.Level >= LogEventLevel.Error ? Color.Red : e.Level == LogEventLevel.Warning ? Color.Yellow : Color.Grey))));

    /// <summary>The event's message with string values unquoted, as the log lines show them ({Message:lj}).</summary>
    private static string Message(LogEvent logEvent)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        MessageOnly.Format(logEvent, text);
        return text.ToString();
    }

    private static Color QosColour(MqttQualityOfService qos) => qos switch
    {
        MqttQualityOfService.AtMostOnce => Color.Grey,
        MqttQualityOfService.AtLeastOnce => Color.Yellow,
        _ => Color.Orange1,
    };

    private static string Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "VRB",
        LogEventLevel.Debug => "DBG",
        LogEventLevel.Information => "INF",
        LogEventLevel.Warning => "WRN",
        LogEventLevel.Error => "ERR",
        _ => "FTL",
    };

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}

using System.Globalization;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder.History;
using EmbeddedBroker.Web.Messages;
using EmbeddedBroker.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;


namespace EmbeddedBroker.Web.Api;

/// <summary>
/// The message history over HTTP (seed 003's GET /messages and /consumptions): GET /api/messages (newest first, from
/// the recorded database when there is one, else the in-memory ring), one full payload, a streamed export, the
/// retained messages, the delivery receipts. Lists page with a cursor: the X-Next-Cursor header (and a Link rel="next")
/// is the <c>cursor</c> of the next, older page. Every list answer stays under Web:Api:MaxResponseBytes: past it the
/// list is cut and the cursor continues after its last entry.
/// </summary>
internal static class HistoryEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxHistoryLimit = 1000;
    public const int MaxRetainedLimit = 10_000;
    public const string NextCursorHeader = "X-Next-Cursor";

    public static void MapHistory(this RouteGroupBuilder api)
    {
        api.MapGet("/messages", GetMessagesAsync);
        api.MapGet("/messages/export", ExportAsync);
        api.MapGet("/messages/{id:long}/payload", GetPayloadAsync);
        api.MapGet("/retained", GetRetained);
        api.MapGet("/deliveries", GetDeliveriesAsync);
    }

    private static async Task<IResult> GetMessagesAsync(HttpContext context, ApiHistory history, IOptions<WebHistoryOptions> options)
    {
        var parser = new HistoryQueryParser(context.Request.Query);
        var source = history.Messages;
        var maximum = source.IsDurable ? MaxHistoryLimit : history.Recent.Capacity;
        var since = parser.Time("since");
        var query = new HistoryQuery
        {
            TopicFilter = parser.TopicFilter(),
            From = parser.Time("from") ?? since?.AddTicks(1),
            To = parser.Time("to"),
            Before = parser.Id("cursor"),
            After = parser.Id("after"),
            Limit = parser.Limit(DefaultLimit, maximum),
            PreviewBytes = options.Value.PayloadPreviewBytes,
        };
        if (parser.Error is { } error)
        {
            return error;
        }

        var page = await source.QueryAsync(query, context.RequestAborted);
        var messages = new List<MessageResponse>(page.Entries.Count);
        var size = 0;
        var next = page.NextCursor;
        var mayRead = HttpUser.ReadFilter(context);
        // The ACL hides what this user may not read: a page can then hold fewer than 'limit', and its cursor goes on.
        foreach (var entry in page.Entries.Where(entry => mayRead is null || mayRead(entry.Message.Topic)))
        {
            var response = ApiResponses.ToResponse(entry);
            size += PayloadText.JsonSize(response.Payload, response.Topic);
            if (size > options.Value.MaxResponseBytes && messages.Count > 0)
            {
                next = messages[^1].Id;
                break;
            }

            messages.Add(response);
        }

        SetPaging(context, next);
        context.Response.Headers["X-History-Source"] = source.Description;
        return TypedResults.Json<IReadOnlyList<MessageResponse>>(messages, WebJsonContext.Default.IReadOnlyListMessageResponse);
    }

    private static async Task<IResult> GetPayloadAsync(long id, HttpContext context, ApiHistory history)
    {
        var message = await history.Messages.GetAsync(id, context.RequestAborted);
        if (message is not null && HttpUser.ReadFilter(context) is { } mayRead && !mayRead(message.Topic))
        {
            return ApiError.Forbidden("id", $"message {id} is on a topic you may not read");
        }

        if (message is null)
        {
            return ApiError.NotFound("id", $"no message {id} with its whole payload: it is older than the history keeps, or (in memory) was too large to keep whole");
        }

        // Served as bytes to save, never as a page: a payload is whatever a client sent, markup included.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"message-{id.ToString(CultureInfo.InvariantCulture)}.bin\"";
        return TypedResults.Bytes(message.Payload.ToArray(), "application/octet-stream");
    }

    private static async Task ExportAsync(HttpContext context, ApiHistory history)
    {
        var parser = new HistoryQueryParser(context.Request.Query);
        var format = parser.Text("format") ?? "csv";
        var query = new HistoryQuery { TopicFilter = parser.TopicFilter(), From = parser.Time("from"), To = parser.Time("to") };
        var error = parser.Error ?? (RecordExport.IsFormat(format) ? null : ApiError.BadRequest("format", "'format' must be csv, json or jsonl"));
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }

        var extension = format;
        context.Response.ContentType = RecordExport.ContentType(format);
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"mqtt_data-export.{extension}\"";
        context.Response.Headers["X-History-Source"] = history.Messages.Description;
        var entries = history.Messages.ExportAsync(query, context.RequestAborted);
        if (HttpUser.ReadFilter(context) is { } mayRead)
        {
            entries = entries.Where(entry => mayRead(entry.Message.Topic));
        }

        await RecordExport.WriteAsync(entries, format, context.Response.Body, context.RequestAborted);
    }

    private static IResult GetRetained(HttpContext context, MqttBroker broker, IOptions<WebHistoryOptions> options)
    {
        var parser = new HistoryQueryParser(context.Request.Query);
        var filter = parser.TopicFilter() ?? "#";
        var limit = parser.Limit(MaxRetainedLimit, MaxRetainedLimit);
        if (parser.Error is { } error)
        {
            return error;
        }

        var retained = new List<RetainedResponse>();
        var size = 0;
        var mayRead = HttpUser.ReadFilter(context);
        foreach (var message in broker.GetRetainedMessages()
                     .Where(m => MqttTopic.Matches(filter, m.Topic) && (mayRead is null || mayRead(m.Topic)))
                     .OrderBy(m => m.Topic, StringComparer.Ordinal))
        {
            var response = ApiResponses.ToRetained(message, options.Value.PayloadPreviewBytes);
            size += PayloadText.JsonSize(response.Payload, response.Topic);
            if (retained.Count == limit || size > options.Value.MaxResponseBytes)
            {
                context.Response.Headers["X-Truncated"] = "true";
                break;
            }

            retained.Add(response);
        }

        return TypedResults.Json<IReadOnlyList<RetainedResponse>>(retained, WebJsonContext.Default.IReadOnlyListRetainedResponse);
    }

    private static async Task<IResult> GetDeliveriesAsync(HttpContext context, ApiHistory history)
    {
        var parser = new HistoryQueryParser(context.Request.Query);
        var query = new DeliveryQuery
        {
            ClientId = parser.Text("client"),
            TopicFilter = parser.TopicFilter(),
            From = parser.Time("from"),
            To = parser.Time("to"),
            Before = parser.Id("cursor"),
            Limit = parser.Limit(DefaultLimit, MaxHistoryLimit),
        };
        if (parser.Error is { } error)
        {
            return error;
        }

        var page = await history.Deliveries.QueryAsync(query, context.RequestAborted);
        SetPaging(context, page.NextCursor);
        context.Response.Headers["X-Deliveries-Recorded"] = history.RecordsDeliveries ? "true" : "false";
        var mayRead = HttpUser.ReadFilter(context);
        IReadOnlyList<DeliveryResponse> deliveries = [.. page.Entries.Where(entry => mayRead is null || mayRead(entry.Topic)).Select(ApiResponses.ToResponse)];
        return TypedResults.Json(deliveries, WebJsonContext.Default.IReadOnlyListDeliveryResponse);
    }

    private static void SetPaging(HttpContext context, long? next)
    {
        if (next is not { } cursor)
        {
            return;
        }

        var text = cursor.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers[NextCursorHeader] = text;
        var query = context.Request.Query.Where(q => q.Key != "cursor").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append("cursor=" + text);
        context.Response.Headers.Link = $"<{context.Request.Path}?{string.Join('&', query)}>; rel=\"next\"";
    }
}

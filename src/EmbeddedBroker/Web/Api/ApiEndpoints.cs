using System.Globalization;
using EmbeddedBroker.Broker;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Web.Messages;
using EmbeddedBroker.Web.Options;
using EmbeddedBroker.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Api;

/// <summary>The JSON API under /api (seed 003: publish over HTTP, clients, message history, stats).</summary>
internal static class ApiEndpoints
{
    public const int DefaultMessagesLimit = 100;

    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapPost("/publish", PublishAsync);
        api.MapGet("/clients", GetClients);
        api.MapGet("/messages", GetMessages);
        api.MapGet("/stats", GetStats);
        return api;
    }

    private static async Task<IResult> PublishAsync(HttpContext context, MqttBroker broker, IOptions<WebOptions> options)
    {
        var limit = options.Value.Api.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return ApiError.TooLarge(limit); // refused before reading a byte
        }

        // Chunked bodies have no Content-Length: Kestrel enforces the same limit while we read.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiError.TooLarge(limit);
        }

        if (body.Length > limit)
        {
            return ApiError.TooLarge(limit);
        }

        if (!PublishRequest.TryParse(body, out var request, out var error))
        {
            return TypedResults.Json(error!, WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }

        var message = new MqttApplicationMessage
        {
            Topic = request!.Topic,
            Payload = request.Payload,
            Qos = request.Qos,
            Retain = request.Retain,
            Source = MessageSource.Api,
        };
        // As the HTTP user (Basic) or anonymous: the ACL's write rules decide, as for an MQTT client.
        var outcome = await broker.PublishAsync(message, HttpUser.Identity(context), context.RequestAborted);
        if (outcome == PublishOutcome.DollarTopicDropped)
        {
            return ApiError.Forbidden("topic", $"\"{request.Topic}\": topics starting with '$' are reserved to the broker");
        }

        if (outcome == PublishOutcome.NotAuthorized)
        {
            return ApiError.Forbidden("topic", $"publishing to \"{request.Topic}\" is not allowed");
        }

        return TypedResults.Json(
            new PublishResponse("published", request.Topic, request.Payload.Length, (int)request.Qos, request.Retain),
            WebJsonContext.Default.PublishResponse);
    }

    private static IResult GetClients(MqttBroker broker)
    {
        IReadOnlyList<ClientResponse> clients = broker.GetConnectedClients()
            .OrderBy(c => c.ConnectedAt)
            .Select(ApiResponses.ToResponse)
            .ToList();
        return TypedResults.Json(clients, WebJsonContext.Default.IReadOnlyListClientResponse);
    }

    private static IResult GetMessages(HttpContext context, RecentMessageLog log)
    {
        var request = context.Request;
        string? filter = null;
        if (request.Query.TryGetValue("topic", out var topicValues))
        {
            filter = topicValues.ToString();
            var inner = filter;
            if (MqttTopic.IsSharedSubscription(filter) && MqttTopic.TryParseSharedSubscription(filter, out _, out var sharedInner))
            {
                inner = sharedInner;
            }

            if (!MqttTopic.IsValidTopicFilter(filter))
            {
                return ApiError.BadRequest("topic", "'topic' must be a valid MQTT topic filter, e.g. sensors/+/temperature or #");
            }

            filter = inner;
        }

        DateTimeOffset? since = null;
        if (request.Query.TryGetValue("since", out var sinceValues))
        {
            if (!DateTimeOffset.TryParse(sinceValues.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed))
            {
                return ApiError.BadRequest("since", "'since' must be an ISO 8601 date and time, e.g. 2025-01-31T12:00:00Z");
            }

            since = parsed;
        }

        var limit = DefaultMessagesLimit;
        if (request.Query.TryGetValue("limit", out var limitValues))
        {
            if (!int.TryParse(limitValues.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > log.Capacity)
            {
                return ApiError.BadRequest("limit", $"'limit' must be a whole number from 1 to {log.Capacity}");
            }
        }

        IReadOnlyList<MessageResponse> messages = log.Query(filter, since, limit, HttpUser.ReadFilter(context)).Select(ApiResponses.ToResponse).ToList();
        return TypedResults.Json(messages, WebJsonContext.Default.IReadOnlyListMessageResponse);
    }

    private static IResult GetStats(MqttBroker broker, RecentMessageLog recent, IServiceProvider services)
    {
        var recorder = services.GetService<RecorderStatistics>();
        return TypedResults.Json(ApiResponses.Stats(broker.Statistics, recorder, recent, DateTimeOffset.UtcNow), WebJsonContext.Default.StatsResponse);
    }
}

using EmbeddedBroker.Broker;
using EmbeddedBroker.Hosting.Admission;
using EmbeddedBroker.Persistence.Sqlite;
using EmbeddedBroker.Recorder;
using EmbeddedBroker.Recorder.Options;
using EmbeddedBroker.Web.Listeners;
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

/// <summary>The JSON API under /api (seed 003: publish over HTTP, clients, stats; the history is <see cref="HistoryEndpoints"/>).</summary>
internal static class ApiEndpoints
{
    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapPost("/publish", PublishAsync);
        api.MapGet("/clients", GetClients);
        api.MapGet("/stats", GetStats);
        api.MapHistory();
        return api;
    }

    private static async Task<IResult> PublishAsync(HttpContext context, MqttBroker broker, IOptions<WebOptions> options, WebAbuseLog abuseLog)
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
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel cut a body slower than Web:Requests:MinBodyBytesPerSecond: an answer, not an unhandled exception.
            abuseLog.BodyTooSlow(context.Request.Path, context.Connection.RemoteIpAddress?.ToString());
            return ApiError.TimedOut();
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

    private static IResult GetStats(MqttBroker broker, ApiHistory history, RetainedSysCount retainedSys, IServiceProvider services)
    {
        var recorder = services.GetService<RecorderStatistics>();
        var recorderOptions = services.GetService<IOptions<RecorderOptions>>()?.Value;
        var bridges = services.GetService<Bridges.Statistics.BridgeStatusProvider>()?.Snapshot() ?? [];
        return TypedResults.Json(
            ApiResponses.Stats(broker.Statistics, retainedSys.Get(), recorder, recorderOptions, history.Recent, history.Messages,
                services.GetService<ConnectionAdmission>(), services.GetService<PersistenceStatistics>(), bridges, DateTimeOffset.UtcNow),
            WebJsonContext.Default.StatsResponse);
    }
}

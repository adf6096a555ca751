using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmbeddedBroker.Web.Api;

/// <summary>Source-generated JSON for every API type: no reflection, so the API also works trimmed or AOT-published.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(IReadOnlyList<ClientResponse>))]
[JsonSerializable(typeof(IReadOnlyList<MessageResponse>))]
[JsonSerializable(typeof(IReadOnlyList<RetainedResponse>))]
[JsonSerializable(typeof(IReadOnlyList<DeliveryResponse>))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class WebJsonContext : JsonSerializerContext;

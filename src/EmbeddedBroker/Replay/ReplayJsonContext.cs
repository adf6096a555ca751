using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmbeddedBroker.Replay;

/// <summary>Source-generated JSON for the replay's streaming reader (no reflection).</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ReplayJsonContext : JsonSerializerContext;

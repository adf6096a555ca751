using System.Text;
using System.Text.Json;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Web.Api;

/// <summary>
/// The body of POST /api/publish, validated field by field so each 400 names the field at fault:
/// <c>{"topic": "a/b", "payload": "text", "qos": 0, "retain": false, "encoding": "utf8"}</c>.
/// <c>payload</c> may also be any other JSON value (object, number, ...), published as its JSON text;
/// <c>encoding</c> "base64" publishes the bytes a string payload encodes.
/// </summary>
public sealed record PublishRequest(string Topic, byte[] Payload, MqttQualityOfService Qos, bool Retain)
{
    private static readonly string[] KnownFields = ["topic", "payload", "qos", "retain", "encoding"];

    public static bool TryParse(ReadOnlySpan<byte> body, out PublishRequest? request, out ApiError? error)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            error = new ApiError($"the body is not valid JSON: {ex.Message}", "body");
            return false;
        }

        using (document)
        {
            return TryParse(document.RootElement, out request, out error);
        }
    }

    private static bool TryParse(JsonElement root, out PublishRequest? request, out ApiError? error)
    {
        request = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = new ApiError("the body must be a JSON object such as {\"topic\":\"a/b\",\"payload\":\"hello\"}", "body");
            return false;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name, StringComparer.Ordinal))
            {
                error = new ApiError($"unknown field '{property.Name}': the fields are {string.Join(", ", KnownFields)}", property.Name);
                return false;
            }
        }

        if (!TryReadTopic(root, out var topic, out error)
            || !TryReadQos(root, out var qos, out error)
            || !TryReadRetain(root, out var retain, out error)
            || !TryReadPayload(root, out var payload, out error))
        {
            return false;
        }

        request = new PublishRequest(topic, payload, qos, retain);
        return true;
    }

    private static bool TryReadTopic(JsonElement root, out string topic, out ApiError? error)
    {
        topic = "";
        if (!root.TryGetProperty("topic", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            error = new ApiError("'topic' is required", "topic");
            return false;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error = new ApiError("'topic' must be a string", "topic");
            return false;
        }

        topic = value.GetString()!;
        if (!MqttTopic.IsValidTopicName(topic))
        {
            // MQTT-4.7.3-1 (not empty), MQTT-3.3.2-2 (no wildcard), MQTT-4.7.3-3 (at most 65,535 UTF-8 bytes).
            error = new ApiError("'topic' must be a non-empty MQTT topic name without '+', '#' or U+0000, at most 65535 UTF-8 bytes", "topic");
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryReadQos(JsonElement root, out MqttQualityOfService qos, out ApiError? error)
    {
        qos = MqttQualityOfService.AtMostOnce;
        error = null;
        if (!root.TryGetProperty("qos", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var level) || level is < 0 or > 2)
        {
            error = new ApiError("'qos' must be 0, 1 or 2", "qos");
            return false;
        }

        qos = (MqttQualityOfService)level;
        return true;
    }

    private static bool TryReadRetain(JsonElement root, out bool retain, out ApiError? error)
    {
        retain = false;
        error = null;
        if (!root.TryGetProperty("retain", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = new ApiError("'retain' must be true or false", "retain");
            return false;
        }

        retain = value.GetBoolean();
        return true;
    }

    private static bool TryReadPayload(JsonElement root, out byte[] payload, out ApiError? error)
    {
        payload = [];
        error = null;
        var base64 = false;
        if (root.TryGetProperty("encoding", out var encoding) && encoding.ValueKind != JsonValueKind.Null)
        {
            var name = encoding.ValueKind == JsonValueKind.String ? encoding.GetString() : null;
            if (name is not ("utf8" or "base64"))
            {
                error = new ApiError("'encoding' must be \"utf8\" (default) or \"base64\"", "encoding");
                return false;
            }

            base64 = name == "base64";
        }

        if (!root.TryGetProperty("payload", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true; // an empty payload is meaningful: with retain it clears the retained message (MQTT-3.3.1-6)
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            if (base64)
            {
                error = new ApiError("with \"encoding\": \"base64\", 'payload' must be a base64 string", "payload");
                return false;
            }

            payload = Encoding.UTF8.GetBytes(value.GetRawText());
            return true;
        }

        var text = value.GetString()!;
        if (!base64)
        {
            payload = Encoding.UTF8.GetBytes(text);
            return true;
        }

        try
        {
            payload = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            error = new ApiError("'payload' is not valid base64", "payload");
            return false;
        }
    }
}

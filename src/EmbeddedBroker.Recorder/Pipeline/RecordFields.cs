namespace EmbeddedBroker.Recorder.Pipeline;

/// <summary>Column / property names and fixed values shared by the CSV and JSON formats.</summary>
internal static class RecordFields
{
    public const string Timestamp = "timestamp";
    public const string Topic = "topic";
    public const string Payload = "payload";
    public const string Qos = "qos";
    public const string Retain = "retain";
    public const string ClientId = "client_id";
    public const string PayloadEncoding = "payload_encoding";

    public const string Utf8Encoding = "utf8";
    public const string Base64Encoding = "base64";

    public static readonly string[] Header = [Timestamp, Topic, Payload, Qos, Retain, ClientId, PayloadEncoding];
}

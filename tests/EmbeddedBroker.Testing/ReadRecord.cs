namespace EmbeddedBroker.Testing;

/// <summary>One record read back from a recorded file, with the payload decoded to its original bytes.</summary>
public sealed record ReadRecord(string Timestamp, string Topic, byte[] Payload, int Qos, bool Retain, string? ClientId, string Encoding)
{
    /// <summary>The payload as UTF-8 text, for tests that published text.</summary>
    public string PayloadText => System.Text.Encoding.UTF8.GetString(Payload);

    /// <summary>The topic with the payload as text, for Does.Contain over a file's records.</summary>
    public (string Topic, string Payload) TopicAndPayload => (Topic, PayloadText);

    /// <summary>What was published, comparable by value (the payload as base64): for Is.EqualTo over whole lists.</summary>
    public RecordedMessage Message => new(Topic, Convert.ToBase64String(Payload), Qos, Retain, ClientId);
}

/// <summary>A published message as the recorder must keep it: topic, exact payload bytes (base64), QoS, retain flag, publisher.</summary>
public sealed record RecordedMessage(string Topic, string PayloadBase64, int Qos, bool Retain, string? ClientId);

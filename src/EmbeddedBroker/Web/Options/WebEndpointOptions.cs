namespace EmbeddedBroker.Web.Options;

/// <summary>Whether one web endpoint is on, and on which listener.</summary>
public class WebEndpointOptions
{
    public bool Enabled { get; set; } = true;

    public WebListener On { get; set; } = WebListener.WebSocket;
}

/// <summary>Section "Web:Api": the JSON API under /api.</summary>
public sealed class WebApiOptions : WebEndpointOptions
{
    /// <summary>Largest request body accepted by POST /api/publish; larger gets 413. Base64 payloads count encoded.</summary>
    public int MaxRequestBodyBytes { get; set; } = 1_048_576;

    /// <summary>How many recent messages GET /api/messages (and the dashboard's first view) can return.</summary>
    public int RecentMessagesCapacity { get; set; } = 1000;
}

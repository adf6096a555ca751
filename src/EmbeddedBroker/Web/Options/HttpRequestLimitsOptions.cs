namespace EmbeddedBroker.Web.Options;

/// <summary>
/// Section "Web:Requests": how slowly an HTTP client may send, on both web listeners (Kestrel's server-wide limits).
/// A client trickling its headers or a POST body byte by byte would otherwise hold a connection and a request for as
/// long as it likes. Defaults are Kestrel's own.
/// </summary>
public sealed class HttpRequestLimitsOptions
{
    public const string SectionName = "Web:Requests";

    /// <summary>The whole request line and headers must arrive within this; otherwise 408 and the connection is closed.</summary>
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes per second a request body must average once <see cref="BodyGracePeriod"/> is over; slower: 408
    /// and the connection is closed. 0 turns the check off.</summary>
    public double MinBodyBytesPerSecond { get; set; } = 240;

    /// <summary>How long a body may lag behind <see cref="MinBodyBytesPerSecond"/> before it is cut; more than 1 s
    /// (Kestrel checks once a second).</summary>
    public TimeSpan BodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
}

namespace EmbeddedBroker.Security.Acl;

/// <summary>What a SUBSCRIBE is checked against when an ACL file is in force.</summary>
public enum AclSubscribeCheck
{
    /// <summary>
    /// Mosquitto 2.0.x: every subscription is granted (src/security_default.c answers success for
    /// MOSQ_ACL_SUBSCRIBE, "FIXME - implement ACL subscription strings") and each delivery is checked for read access,
    /// so a '#' subscriber with only "topic read a/#" gets SUBACK 0 and then only a/... messages.
    /// </summary>
    GrantAndFilterDeliveries,

    /// <summary>
    /// Refuse a filter (3.1.1 SUBACK 0x80, 5.0 0x87) that no read rule of the client overlaps, or that a deny rule of
    /// its user covers entirely; deliveries are still checked one by one.
    /// </summary>
    RefuseUnreadableFilters,
}

/// <summary>ACL enforcement settings.</summary>
public sealed class AclOptions
{
    public AclSubscribeCheck SubscribeCheck { get; set; } = AclSubscribeCheck.GrantAndFilterDeliveries;

    /// <summary>Decisions remembered per client (by topic); further topics are decided without being remembered.</summary>
    public int MaximumCachedTopicsPerClient { get; set; } = 1024;

    /// <summary>Estimated bytes of a client's decision cache (topic text and entry overhead), a bound like the count.</summary>
    public int MaximumCachedBytesPerClient { get; set; } = 64 * 1024;
}

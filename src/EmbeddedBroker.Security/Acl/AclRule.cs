namespace EmbeddedBroker.Security.Acl;

/// <summary>What an ACL line grants: the word after "topic" / "pattern" (none means readwrite).</summary>
public enum AclAccess
{
    Read,
    Write,
    ReadWrite,
    Deny,
}

/// <summary>One "topic" or "pattern" line of an ACL file.</summary>
public sealed record AclRule(AclAccess Access, string Filter, int Line)
{
    internal AclGrant Grant => Access switch
    {
        AclAccess.Read => AclGrant.Read,
        AclAccess.Write => AclGrant.Write,
        AclAccess.ReadWrite => AclGrant.Read | AclGrant.Write,
        _ => AclGrant.Deny,
    };
}

/// <summary>The union of what the rules matching a topic say; Deny beats everything (Mosquitto checks deny rules first).</summary>
[Flags]
internal enum AclGrant : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    Deny = 4,
}

using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Web.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EmbeddedBroker.Web.Security;

/// <summary>
/// The HTTP user as the ACL sees it: the user name Basic authentication accepted (null: anonymous, so the ACL's
/// anonymous rules apply), client id <see cref="BasicAuthenticationHandler.HttpClientId"/> for <c>%c</c> patterns,
/// and the listener the request came in on (per-listener ACL files).
/// </summary>
internal static class HttpUser
{
    public static MqttClientIdentity Identity(HttpContext context)
    {
        var name = context.User.Identity is { IsAuthenticated: true } identity ? identity.Name : null;
        return new MqttClientIdentity(BasicAuthenticationHandler.HttpClientId, name, WebSocketConnectionContext.For(context));
    }

    /// <summary>Which topics this user may read (the ACL file's read rules), or null when no ACL is in force.</summary>
    public static Func<string, bool>? ReadFilter(HttpContext context)
    {
        if (context.RequestServices.GetService<AclAuthorizer>() is not { } acl)
        {
            return null;
        }

        var identity = Identity(context);
        return topic => acl.MayRead(identity, topic);
    }
}

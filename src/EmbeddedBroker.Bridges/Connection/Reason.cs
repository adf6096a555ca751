using System.Net.Sockets;
using System.Security.Authentication;
using EmbeddedBroker.Client;

namespace EmbeddedBroker.Bridges.Connection;

/// <summary>Why a connection attempt failed or a connection ended, in words an operator can act on (one log line).</summary>
internal static class Reason
{
    public static string Of(Exception error) => error switch
    {
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
            "the host name does not resolve",
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused (nothing listens on that port)",
        SocketException { SocketErrorCode: SocketError.TimedOut } => "no answer (timed out)",
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable or SocketError.HostUnreachable } => "the host is unreachable",
        SocketException socket => $"network error: {socket.Message}",
        AuthenticationException tls => $"TLS handshake failed: {Innermost(tls).Message}",
        MqttConnectException refused => $"the remote broker refused the connection: {Refusal(refused)}",
        TimeoutException => "no CONNACK from the remote broker in time",
        MqttConnectionClosedException => "the remote broker closed the connection",
        IOException { InnerException: SocketException socket } => Of(socket),
        IOException io => $"connection failed: {io.Message}",
        InvalidDataException bad => $"the remote broker sent something invalid: {bad.Message}",
        _ => error.Message,
    };

    private static string Refusal(MqttConnectException refused) => refused.ReasonCode switch
    {
        Protocol.MqttReasonCode.BadUserNameOrPassword => "bad user name or password (check RemoteUsername / RemotePassword)",
        Protocol.MqttReasonCode.NotAuthorized => "not authorized (check RemoteUsername / RemotePassword and the remote's ACL)",
        Protocol.MqttReasonCode.ClientIdentifierNotValid => "client id not accepted (check RemoteClientId)",
        Protocol.MqttReasonCode.UnsupportedProtocolVersion => "protocol version not supported",
        Protocol.MqttReasonCode.ServerUnavailable => "server unavailable",
        var code => $"reason code 0x{(byte)code:X2} ({code})",
    };

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is { } inner)
        {
            error = inner;
        }

        return error;
    }
}

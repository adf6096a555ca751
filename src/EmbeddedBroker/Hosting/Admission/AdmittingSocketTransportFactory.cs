using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>
/// Kestrel's socket transport with admission at accept: every TCP listener (MQTT, TLS, WebSocket, HTTP) asks
/// <see cref="ConnectionAdmission"/> before a connection exists, and an accept that fails for want of descriptors
/// sheds the pending client instead of spinning. Connections are Kestrel's own (SocketConnectionContextFactory), so
/// everything above the transport is unchanged. Other endpoint kinds (Unix sockets) stay with Kestrel's transport.
/// </summary>
public sealed class AdmittingSocketTransportFactory(
    IOptions<SocketTransportOptions> transportOptions,
    ConnectionAdmission admission,
    ILoggerFactory loggerFactory) : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    private readonly SpareDescriptor _spare = new();
    private readonly SocketConnectionContextFactory _connections = new(
        new SocketConnectionFactoryOptions
        {
            IOQueueCount = transportOptions.Value.IOQueueCount,
            WaitForDataBeforeAllocatingBuffer = transportOptions.Value.WaitForDataBeforeAllocatingBuffer,
            MaxReadBufferSize = transportOptions.Value.MaxReadBufferSize,
            MaxWriteBufferSize = transportOptions.Value.MaxWriteBufferSize,
            UnsafePreferInlineScheduling = transportOptions.Value.UnsafePreferInlineScheduling,
        },
        loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new AdmittingSocketListener(endpoint, transportOptions.Value, _connections, admission, _spare);
        listener.Bind();
        return ValueTask.FromResult<IConnectionListener>(listener);
    }

    public void Dispose()
    {
        _connections.Dispose();
        _spare.Dispose();
    }
}

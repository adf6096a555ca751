// MQTTnet.Server 5.2 as a plain broker for bench/compare.sh, set up as close to the others as MQTTnet allows:
// one TCP listener on the given address and port, persistent sessions allowed (clean-session=false clients keep their
// state, as with mosquitto and EmbeddedBroker), the same per-client queue limit, no logging, no TLS.
//
//   dotnet MqttnetServer.dll --port 1883 [--bind 127.0.0.1] [--max-queued 1000]
//
// MQTTnet has no limit on QoS 1/2 messages in flight per client (mosquitto's max_inflight_messages): its send loop
// writes queued messages as fast as the connection takes them without waiting for acknowledgements, so only the queue
// is bounded (MaxPendingMessagesPerClient, mosquitto's max_queued_messages). When it is full the oldest queued message
// is dropped. It stops on SIGTERM or Ctrl-C.
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using MQTTnet.Server;

var port = 1883;
var bind = IPAddress.Loopback;
var maxQueued = 1000;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--bind": bind = IPAddress.Parse(args[i + 1]); break;
        case "--max-queued": maxQueued = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; usage: MqttnetServer --port N [--bind ADDRESS] [--max-queued N]");
            return 2;
    }
}

var factory = new MqttServerFactory(); // its default logger discards everything
var options = new MqttServerOptionsBuilder()
    .WithDefaultEndpoint()
    .WithDefaultEndpointBoundIPAddress(bind)
    .WithDefaultEndpointPort(port)
    .WithPersistentSessions()
    .WithMaxPendingMessagesPerClient(maxQueued)
    .WithPendingMessagesOverflowStrategy(MqttPendingMessagesOverflowStrategy.DropOldestQueuedMessage)
    .Build();
// It would listen on IPv6 "any" as well by default; the benchmark keeps every broker on the loopback address it gave.
options.DefaultEndpointOptions.BoundInterNetworkV6Address = IPAddress.None;

using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

using var server = factory.CreateMqttServer(options);
await server.StartAsync();
Console.WriteLine($"MQTTnet.Server listening on {bind}:{port}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Asked to stop.
}

await server.StopAsync();
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

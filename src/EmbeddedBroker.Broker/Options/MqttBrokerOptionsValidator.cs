using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Broker;

/// <summary>Checks <see cref="MqttBrokerOptions"/> at start; each failure names the configuration key and the fix.</summary>
public sealed class MqttBrokerOptionsValidator : IValidateOptions<MqttBrokerOptions>
{
    /// <summary>Largest MQTT packet: 268 435 455 remaining length + 1 type byte + 4 length bytes.</summary>
    public const int ProtocolMaximumPacketSize = 268_435_460;

    public ValidateOptionsResult Validate(string? name, MqttBrokerOptions options)
    {
        var failures = new List<string>();
        var s = MqttBrokerOptions.SectionName;

        var capabilities = options.Capabilities;
        var c = s + ":Capabilities";
        if (capabilities.MaximumPacketSize is < 128 or > ProtocolMaximumPacketSize)
            failures.Add($"{c}:MaximumPacketSize = {capabilities.MaximumPacketSize} is out of range: use 128 .. {ProtocolMaximumPacketSize} bytes (default 1048576).");
        if (!Enum.IsDefined(capabilities.MaximumQos))
            failures.Add($"{c}:MaximumQos = {capabilities.MaximumQos} must be 0, 1 or 2 (default 2).");
        if (capabilities.ServerKeepAlive is { } ka && (ka < TimeSpan.Zero || ka.TotalSeconds > ushort.MaxValue))
            failures.Add($"{c}:ServerKeepAlive = {ka} must be 0 .. 65535 seconds, or removed to keep the clients' own keep-alive.");
        if (options.ConnectTimeout <= TimeSpan.Zero)
            failures.Add($"{s}:ConnectTimeout = {options.ConnectTimeout} must be positive, e.g. \"00:00:10\".");
        if (options.MaximumQueuedMessagesPerClient < 1)
            failures.Add($"{s}:MaximumQueuedMessagesPerClient = {options.MaximumQueuedMessagesPerClient} must be at least 1 (default 1000).");
        if (options.MaximumQueuedBytesPerClient < 1024)
            failures.Add($"{s}:MaximumQueuedBytesPerClient = {options.MaximumQueuedBytesPerClient} must be at least 1024 bytes (default 67108864, 64 MiB).");
        if (options.MemoryLimitBytes is < 1024 * 1024)
            failures.Add($"{s}:MemoryLimitBytes = {options.MemoryLimitBytes} must be at least 1048576 bytes, or removed for half of the memory the process may use.");
        if (options.LargeMessageBytes < 1)
            failures.Add($"{s}:LargeMessageBytes = {options.LargeMessageBytes} must be positive (default 65536).");
        if (options.PartialPacketTimeout <= TimeSpan.Zero)
            failures.Add($"{s}:PartialPacketTimeout = {options.PartialPacketTimeout} must be positive, e.g. \"00:00:30\".");
        if (options.OutboundTopicAliasesPerClient is < 0 or > ushort.MaxValue)
            failures.Add($"{s}:OutboundTopicAliasesPerClient = {options.OutboundTopicAliasesPerClient} must be 0 (off) .. 65535 (default 64).");
        if (capabilities.ReceiveMaximum == 0)
            failures.Add($"{c}:ReceiveMaximum must be 1 .. 65535 (default 1024; 0 is a Protocol Error, 3.2.2.3.3).");
        if (options.BackpressureHighWaterPercent is < 1 or > 100)
            failures.Add($"{s}:BackpressureHighWaterPercent = {options.BackpressureHighWaterPercent} must be 1 .. 100 (default 50).");
        if (options.BackpressureLowWaterPercent < 0 || options.BackpressureLowWaterPercent >= options.BackpressureHighWaterPercent)
            failures.Add($"{s}:BackpressureLowWaterPercent = {options.BackpressureLowWaterPercent} must be 0 .. BackpressureHighWaterPercent - 1 (default 25).");
        if (options.PublisherBackpressureTimeout < TimeSpan.Zero)
            failures.Add($"{s}:PublisherBackpressureTimeout = {options.PublisherBackpressureTimeout} must be zero (off) or positive, e.g. \"00:00:01\".");
        if (options.MaximumInflightPerClient is < 1 or > ushort.MaxValue)
            failures.Add($"{s}:MaximumInflightPerClient = {options.MaximumInflightPerClient} must be 1 .. 65535 (default 100).");
        if (double.IsNaN(options.KeepAliveFactor) || options.KeepAliveFactor < 1.0 || options.KeepAliveFactor > 10.0)
            failures.Add($"{s}:KeepAliveFactor = {options.KeepAliveFactor} must be 1.0 .. 10.0 (the spec says 1.5).");
        if (options.MaximumClientIdLength is < 23 or > ushort.MaxValue)
            failures.Add($"{s}:MaximumClientIdLength = {options.MaximumClientIdLength} must be 23 .. 65535 (MQTT-3.1.3-5 requires 23).");
        if (options.PersistentSessionExpiry is { } pe && pe <= TimeSpan.Zero)
            failures.Add($"{s}:PersistentSessionExpiry = {pe} must be positive, or removed to keep sessions until the broker stops.");
        if (options.SysInterval <= TimeSpan.Zero)
            failures.Add($"{s}:SysInterval = {options.SysInterval} must be positive; set {s}:EnableSysTopics = false to turn $SYS off.");
        if (options.MaximumPendingControlPackets < 16)
            failures.Add($"{s}:MaximumPendingControlPackets = {options.MaximumPendingControlPackets} must be at least 16 (default 1024).");
        if (options.CloseFlushTimeout <= TimeSpan.Zero)
            failures.Add($"{s}:CloseFlushTimeout = {options.CloseFlushTimeout} must be positive, e.g. \"00:00:02\".");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

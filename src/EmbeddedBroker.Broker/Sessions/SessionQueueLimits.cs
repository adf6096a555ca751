namespace EmbeddedBroker.Broker.Sessions;

/// <summary>
/// Size limits of every session's outbound queue, derived once from <see cref="MqttBrokerOptions"/>: the hard maximum
/// in messages and in bytes held for the client (queued and in flight; beyond either, new messages are dropped) and
/// the back-pressure marks (publishers pause at <see cref="HighWater"/> and resume at <see cref="LowWater"/>).
/// <see cref="HighWater"/> is int.MaxValue when back-pressure is off.
/// </summary>
internal readonly record struct SessionQueueLimits(int Maximum, long MaximumBytes, int HighWater, int LowWater)
{
    public static SessionQueueLimits From(MqttBrokerOptions options)
    {
        var maximum = options.MaximumQueuedMessagesPerClient;
        var bytes = options.MaximumQueuedBytesPerClient;
        if (options.PublisherBackpressureTimeout <= TimeSpan.Zero)
            return new SessionQueueLimits(maximum, bytes, int.MaxValue, 0);
        var high = Math.Max(1, (int)((long)maximum * options.BackpressureHighWaterPercent / 100));
        var low = Math.Min(high - 1, (int)((long)maximum * options.BackpressureLowWaterPercent / 100));
        return new SessionQueueLimits(maximum, bytes, high, low);
    }
}

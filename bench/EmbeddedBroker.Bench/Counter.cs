namespace EmbeddedBroker.Bench;

/// <summary>A message count read by the measuring thread while a client loop increments it.</summary>
internal sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long count) => Interlocked.Add(ref _value, count);
}

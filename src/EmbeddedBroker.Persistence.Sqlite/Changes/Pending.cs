namespace EmbeddedBroker.Persistence.Sqlite.Changes;

/// <summary>A coalesced value in a batch with the charged size of the change it came from.</summary>
internal readonly record struct Pending<T>(T Value, int Size);

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>
/// Instants as stored: 100 ns units since the Unix epoch, UTC. Exact (a DateTimeOffset's full precision) and readable
/// in sqlite3 with <c>datetime(column / 10000000, 'unixepoch')</c>.
/// </summary>
internal static class StoreTime
{
    public static long ToStored(DateTimeOffset value) => value.UtcTicks - DateTime.UnixEpoch.Ticks;

    public static DateTimeOffset FromStored(long value) => new(value + DateTime.UnixEpoch.Ticks, TimeSpan.Zero);
}

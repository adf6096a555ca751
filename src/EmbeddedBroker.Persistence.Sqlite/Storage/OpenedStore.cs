using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Sqlite.Storage;

/// <summary>An open, checked store file: the writer's connection and what was read from the file on opening.</summary>
/// <param name="LastAlive">The previous run's last commit time (null in a new file): the disconnection time of the
/// sessions that were online when it stopped.</param>
/// <param name="LastMessageId">The highest message row id, from which the writer numbers the messages it adds.</param>
/// <param name="Created">True when the file was empty and the tables were just created.</param>
internal sealed record OpenedStore(SqliteConnection Connection, DateTimeOffset? LastAlive, long LastMessageId, bool Created) : IDisposable
{
    public void Dispose() => Connection.Dispose();
}

using System.Diagnostics;
using EmbeddedBroker.Contracts;
using EmbeddedBroker.Persistence.Sqlite.Changes;
using EmbeddedBroker.Persistence.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace EmbeddedBroker.Persistence.Sqlite.Writing;

/// <summary>
/// Writes one <see cref="ChangeBatch"/> in one transaction on the writer's connection, with its prepared statements,
/// and stamps the store's "last alive" time. A message that several deliveries of the batch share (the same
/// instance, fanned out to many sessions) is inserted once. Either everything commits or nothing does; the caller keeps
/// the batch for a retry.
/// </summary>
internal sealed class BatchCommitter : IDisposable
{
    private readonly OpenedStore store;
    private readonly StoreStatements statements;
    private readonly Dictionary<MqttApplicationMessage, long> messagesOfBatch = new(ReferenceEqualityComparer.Instance);
    private long lastMessageId;

    public BatchCommitter(OpenedStore store)
    {
        this.store = store;
        statements = new StoreStatements(store.Connection);
        lastMessageId = store.LastMessageId;
    }

    public OpenedStore Store => store;

    /// <summary>Commits <paramref name="batch"/>; returns how long it took.</summary>
    public TimeSpan Commit(ChangeBatch batch, DateTimeOffset now)
    {
        var started = Stopwatch.GetTimestamp();
        var transaction = store.Connection.BeginTransaction();
        try
        {
            statements.Enlist(transaction);
            Write(batch);
            statements.SetLastAlive(now);
            transaction.Commit();
        }
        catch
        {
            // SQLite may already have rolled back (SQLITE_FULL, I/O errors); the connection is dropped afterwards anyway.
            try { transaction.Rollback(); } catch (SqliteException) { } catch (InvalidOperationException) { }
            throw;
        }
        finally
        {
            messagesOfBatch.Clear();
            statements.Enlist(null);
            transaction.Dispose();
        }
        return Stopwatch.GetElapsedTime(started);
    }

    private void Write(ChangeBatch batch)
    {
        if (batch.ReplacesEverything)
        {
            statements.DeleteEverything();
        }
        foreach (var (topic, retained) in batch.Retained)
        {
            if (retained.Value is { } message) statements.SetRetained(message);
            else statements.ClearRetained(topic);
        }
        foreach (var (clientId, session) in batch.Sessions)
        {
            WriteSession(clientId, session);
        }
    }

    private void WriteSession(string clientId, SessionChanges session)
    {
        if (session.Wiped)
        {
            statements.DeleteSession(clientId);
        }
        if (session.Session is { } saved)
        {
            statements.SaveSession(saved.Value);
        }
        foreach (var (topicFilter, subscription) in session.Subscriptions)
        {
            if (subscription.Value is { } value) statements.SaveSubscription(clientId, value);
            else statements.DeleteSubscription(clientId, topicFilter);
        }
        foreach (var (sequence, delivery) in session.Deliveries)
        {
            if (delivery.Saved is { } row) statements.SaveDelivery(clientId, row, MessageIdOf(row.Message));
            else if (delivery.Deleted) statements.DeleteDelivery(clientId, sequence);
            else statements.UpdateDelivery(clientId, sequence, delivery.PacketId, delivery.State);
        }
        foreach (var (packetId, present) in session.IncomingQos2)
        {
            statements.SetIncomingQos2(clientId, packetId, present.Value);
        }
        if (session.Will is { } will)
        {
            if (will.Value is { } value) statements.SaveWill(clientId, value);
            else statements.DeleteWill(clientId);
        }
    }

    private long MessageIdOf(MqttApplicationMessage message)
    {
        if (!messagesOfBatch.TryGetValue(message, out var id))
        {
            id = ++lastMessageId;
            statements.InsertMessage(id, message);
            messagesOfBatch.Add(message, id);
        }
        return id;
    }

    /// <summary>Folds the write-ahead log into the file and cuts it back (at a graceful stop: the file then stands alone).</summary>
    public void Checkpoint()
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        statements.Dispose();
        store.Dispose();
    }
}

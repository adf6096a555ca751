using EmbeddedBroker.Protocol;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Bridges.Queue;

/// <summary>
/// A bridge's out-queue file (SQLite, WAL): one row per QoS 1/2 message not yet acknowledged by the remote broker.
/// Saves and deletes are handed over at once and written behind by one writer loop in batches (group commit): every
/// save of a batch completes when its transaction commits, so a local publisher's acknowledgement waits for one
/// commit, not one per message. A failed commit faults that batch's saves (the publishers send again) and is retried
/// with back-off, one warning per failure streak.
/// </summary>
internal sealed class SqliteQueueJournal : IQueueJournal
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private readonly QueueSignal _signal = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly string _path;
    private List<QueuedMessage> _saves = [];
    private List<long> _deletes = [];
    private TaskCompletionSource _batch = NewBatch();
    private Task _writer = Task.CompletedTask;

    public SqliteQueueJournal(string path, string synchronous, ILogger logger)
    {
        _path = Path.GetFullPath(path);
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL");
        Execute(synchronous == "full" ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        Execute("""
            CREATE TABLE IF NOT EXISTS queue (
                sequence INTEGER PRIMARY KEY,
                topic TEXT NOT NULL,
                payload BLOB NOT NULL,
                qos INTEGER NOT NULL,
                retain INTEGER NOT NULL,
                queued_at INTEGER NOT NULL)
            """);
    }

    public IReadOnlyList<QueuedMessage> Load()
    {
        var messages = new List<QueuedMessage>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT sequence, topic, payload, qos, retain FROM queue ORDER BY sequence";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                messages.Add(new QueuedMessage(reader.GetInt64(0), reader.GetString(1), (byte[])reader.GetValue(2),
                    (MqttQualityOfService)reader.GetInt32(3), reader.GetInt32(4) != 0));
            }
        }

        _writer = Task.Run(WriteLoopAsync);
        return messages;
    }

    public Task Save(QueuedMessage message)
    {
        Task kept;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return Task.FromException(new ObjectDisposedException(_path, "The bridge queue is closed (stopping)."));
            }

            _saves.Add(message);
            kept = _batch.Task;
        }

        _signal.Set();
        return kept;
    }

    public void Delete(long sequence)
    {
        lock (_lock)
        {
            _deletes.Add(sequence);
        }

        _signal.Set();
    }

    private async Task WriteLoopAsync()
    {
        var failures = 0;
        var retryDelay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await _signal.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: write what is left once more, below, then end.
            }

            List<QueuedMessage> saves;
            List<long> deletes;
            TaskCompletionSource batch;
            lock (_lock)
            {
                (saves, _saves) = (_saves, []);
                (deletes, _deletes) = (_deletes, []);
                (batch, _batch) = (_batch, NewBatch());
            }

            try
            {
                Commit(saves, deletes);
                batch.TrySetResult();
                if (failures > 0)
                {
                    _logger.LogInformation("Bridge queue {Path} is written again after {Failures} failed attempt(s)", _path, failures);
                }

                failures = 0;
                retryDelay = TimeSpan.FromMilliseconds(100);
            }
            catch (SqliteException error)
            {
                batch.TrySetException(error);
                if (failures++ == 0)
                {
                    _logger.LogWarning("Bridge queue {Path} cannot be written ({Reason}); retrying with back-off, messages stay queued in memory", _path, error.Message);
                }

                lock (_lock)
                {
                    // Retried with the next batch; the saves' publishers were told (their receipts faulted).
                    _saves.InsertRange(0, saves);
                    _deletes.InsertRange(0, deletes);
                }

                if (!_stopping.IsCancellationRequested)
                {
                    await Task.Delay(retryDelay).ConfigureAwait(false);
                    retryDelay = retryDelay * 2 < MaxRetryDelay ? retryDelay * 2 : MaxRetryDelay;
                    _signal.Set();
                    continue;
                }
            }

            if (_stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Commit(List<QueuedMessage> saves, List<long> deletes)
    {
        if (saves.Count == 0 && deletes.Count == 0)
        {
            return;
        }

        using var transaction = _connection.BeginTransaction();
        if (saves.Count > 0)
        {
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT OR REPLACE INTO queue (sequence, topic, payload, qos, retain, queued_at) VALUES ($s, $t, $p, $q, $r, $a)";
            var sequence = insert.Parameters.Add("$s", SqliteType.Integer);
            var topic = insert.Parameters.Add("$t", SqliteType.Text);
            var payload = insert.Parameters.Add("$p", SqliteType.Blob);
            var qos = insert.Parameters.Add("$q", SqliteType.Integer);
            var retain = insert.Parameters.Add("$r", SqliteType.Integer);
            var queuedAt = insert.Parameters.Add("$a", SqliteType.Integer);
            queuedAt.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var message in saves)
            {
                sequence.Value = message.Sequence;
                topic.Value = message.Topic;
                payload.Value = message.Payload.ToArray();
                qos.Value = (int)message.Qos;
                retain.Value = message.Retain ? 1 : 0;
                insert.ExecuteNonQuery();
            }
        }

        if (deletes.Count > 0)
        {
            using var delete = _connection.CreateCommand();
            delete.CommandText = "DELETE FROM queue WHERE sequence = $s";
            var sequence = delete.Parameters.Add("$s", SqliteType.Integer);
            foreach (var acknowledged in deletes)
            {
                sequence.Value = acknowledged;
                delete.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _signal.Set();
        await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EmbeddedBroker.Recorder.Database.Sqlite;

/// <summary>
/// One prepared INSERT bound straight from spans through SQLitePCL (the library under Microsoft.Data.Sqlite): a row
/// costs no allocation, where SqliteParameter boxes every value and needs a byte[] per payload. Used only by the
/// recorder's writer, on the connection Microsoft.Data.Sqlite opened.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        database = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(database, sql, out statement);
        SqliteException.ThrowExceptionForRC(rc, database);
    }

    public void Text(int index, ReadOnlySpan<byte> utf8) =>
        Check(utf8.IsEmpty ? raw.sqlite3_bind_text(statement, index, string.Empty) : raw.sqlite3_bind_text(statement, index, utf8));

    /// <summary>An empty span binds a zero-length BLOB, never NULL (a pointer to nothing would bind NULL).</summary>
    public void Blob(int index, ReadOnlySpan<byte> bytes) =>
        Check(bytes.IsEmpty ? raw.sqlite3_bind_zeroblob(statement, index, 0) : raw.sqlite3_bind_blob(statement, index, bytes));

    public void Integer(int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    public void Null(int index) => Check(raw.sqlite3_bind_null(statement, index));

    public void TextOrNull(int index, RowField field)
    {
        if (field.IsNull)
        {
            Null(index);
        }
        else
        {
            Text(index, field.Bytes.Span);
        }
    }

    public void BlobOrNull(int index, RowField field)
    {
        if (field.IsNull)
        {
            Null(index);
        }
        else
        {
            Blob(index, field.Bytes.Span);
        }
    }

    public void IntegerOrNull(int index, long value)
    {
        if (value < 0)
        {
            Null(index);
        }
        else
        {
            Integer(index, value);
        }
    }

    /// <summary>Runs the bound statement and resets it for the next row.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
    }

    public void Dispose() => statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
    }
}

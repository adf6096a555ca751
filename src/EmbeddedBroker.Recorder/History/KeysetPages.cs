using System.Data.Common;

namespace EmbeddedBroker.Recorder.History;

/// <summary>
/// One page of a newest-first history, read in chunks by id (keyset paging): rows are asked for below the cursor; when
/// a filter is finished in code (a wildcard topic filter) whole chunks are read and matched, at most
/// <see cref="ScanBudget"/> rows per page, so a rare topic answers in bounded time with a cursor to go on from. One row
/// more than the page is looked for, so the cursor is given only when a next page has something.
/// </summary>
internal static class KeysetPages
{
    /// <summary>Most rows one page reads before answering with what it found and a cursor.</summary>
    public const int ScanBudget = 50_000;

    public const int Chunk = 1000;

    /// <param name="select">The command for up to <c>take</c> rows with ids below the cursor (null: from the newest), newest first.</param>
    /// <param name="matches">Null when the SQL selects exactly; else the check each row must pass.</param>
    public static async Task<(List<T> Entries, long? NextCursor)> ReadAsync<T>(DbConnection connection, long? before, int limit,
        Func<DbConnection, long?, int, DbCommand> select, Func<DbDataReader, T> read, Func<T, long> id, Func<T, bool>? matches,
        CancellationToken cancellationToken)
    {
        var entries = new List<T>(Math.Min(limit, Chunk));
        var scanned = 0;
        while (true)
        {
            var take = matches is null ? limit + 1 - entries.Count : Chunk;
            var rows = 0;
            long? lastId = null;
            await using (var command = select(connection, before, take))
            {
                await using var reader = await SqlMessageHistory.ReadAsync(command, cancellationToken).ConfigureAwait(false);
                while (reader is not null && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    var entry = read(reader);
                    lastId = id(entry);
                    if (matches is not null && !matches(entry))
                    {
                        continue;
                    }

                    if (entries.Count == limit)
                    {
                        return (entries, id(entries[^1])); // a further match exists: the next page starts after the last entry
                    }

                    entries.Add(entry);
                }
            }

            scanned += rows;
            if (rows < take)
            {
                return (entries, null); // no more rows in range
            }

            before = lastId;
            if (scanned >= ScanBudget)
            {
                return (entries, lastId);
            }
        }
    }
}

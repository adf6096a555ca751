using EmbeddedBroker.Recorder.Files;
using EmbeddedBroker.Recorder.Pipeline;

namespace EmbeddedBroker.Recorder.Formats;

/// <summary>
/// What one file format (CSV, JSON array, JSON Lines) knows: how its file starts, how to repair the end a crash left,
/// how a record looks and how a batch of records ends. It never touches the file between those calls: opening,
/// writing, committing and rotating are <see cref="RecordFile"/>'s. Not thread-safe: one format per file, used by the
/// writer loop.
/// </summary>
internal interface IRecordFormat : IDisposable
{
    /// <summary>Extension with its dot: ".csv", ".json", ".jsonl".</summary>
    string Extension { get; }

    /// <summary>Bytes at the end of the file that every batch overwrites and ends with again (JSON array: "\n]"; others 0).</summary>
    int TrailerLength { get; }

    /// <summary>
    /// Decides whether <paramref name="file"/> is in this format before changing anything (false: another program's
    /// file, left exactly as it is). If it is, repairs a tail torn by a crash, writes the start of a new or empty file,
    /// and leaves the file ending where the next batch goes (plus <see cref="TrailerLength"/>).
    /// </summary>
    /// <param name="hasRecords">Whether the file holds at least one record.</param>
    bool TryRepair(FileStream file, out bool hasRecords);

    /// <summary>Formats one record into <paramref name="batch"/>.</summary>
    void Write(RecordBatch batch, in MessageRecord record);

    /// <summary>Completes <paramref name="batch"/> before it is written, once per batch (JSON array: the closing "\n]").</summary>
    void Finish(RecordBatch batch);

    /// <summary>
    /// The bytes to write of the finished batch into a file that holds records or not: decided at each write, so a
    /// batch replayed into a recreated file is still right (JSON array: its first separator).
    /// </summary>
    ReadOnlySpan<byte> BytesToAppend(Span<byte> finishedBatch, bool fileHasRecords);
}

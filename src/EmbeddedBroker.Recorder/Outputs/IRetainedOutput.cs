namespace EmbeddedBroker.Recorder.Outputs;

/// <summary>A database output whose old rows the retention limit deletes (Recorder:RetentionDays, RetentionMaxBytes).</summary>
internal interface IRetainedOutput
{
    /// <summary>Deletes at most <paramref name="maxRows"/> messages and delivery receipts older than <paramref name="cutoff"/>; returns how many.</summary>
    int DeleteOlderThan(DateTimeOffset cutoff, int maxRows);

    /// <summary>Bytes the recorded rows occupy, or null when the database cannot tell cheaply (then only the age limit applies).</summary>
    long? UsedBytes();

    /// <summary>Deletes the <paramref name="rows"/> oldest messages (and the receipts of that time); returns how many.</summary>
    int DeleteOldest(int rows);
}

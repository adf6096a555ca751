namespace EmbeddedBroker.Recorder.Options;

/// <summary>
/// Settings of the message recorder, bound from the configuration section "Recorder".
/// Values users type (format, policy) are strings so that a typo is reported by
/// <see cref="RecorderOptionsValidator"/> with the key and the fix, not by a binder conversion error.
/// </summary>
public sealed class RecorderOptions
{
    public const string SectionName = "Recorder";

    /// <summary>When false the recorder ignores every message and writes nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>csv</c>, <c>json</c>, <c>jsonl</c>, <c>sqlite</c>, <c>postgres</c> or <c>both</c> (csv + json); a comma list
    /// such as <c>csv,json,sqlite</c> also works.</summary>
    public string Format { get; set; } = "both";

    /// <summary>Base path without extension; <c>exports/mqtt_data</c> gives <c>exports/mqtt_data.csv</c>, <c>.json</c> and <c>.db</c>.
    /// A relative path resolves against the process working directory.</summary>
    public string Output { get; set; } = "exports/mqtt_data";

    /// <summary>Topic filters to record. Empty (the default) records every topic except those starting with '$'
    /// (<c>$SYS/#</c>), exactly what the filter <c>#</c> matches [MQTT-4.7.2-1]. Add <c>$SYS/#</c> to record broker statistics.</summary>
    public string[] Topics { get; set; } = [];

    /// <summary>Longest time a recorded message may wait in memory before it is handed to the operating system.</summary>
    public int FlushIntervalMs { get; set; } = 1000;

    /// <summary>Messages waiting between the broker and the writer; when full, <see cref="FullQueuePolicy"/> applies.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>Bytes the queued messages may hold (payloads, topics); a message that does not fit is dropped and counted.</summary>
    public long QueueMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary><c>DropNewest</c> (default: the message that does not fit is counted and dropped) or
    /// <c>DropOldest</c> (the oldest queued message makes room). Blocking is deliberately not offered:
    /// the observer runs on the publisher's connection thread and must never block the broker.</summary>
    public string FullQueuePolicy { get; set; } = "DropNewest";

    /// <summary>Rotate a file once it reaches this size (checked at each flush). 0 = never rotate by size.</summary>
    public long RotateMaxBytes { get; set; }

    /// <summary>Start new files when the UTC day of the received timestamp changes.</summary>
    public bool RotateDaily { get; set; }

    /// <summary>Compress rotated CSV / JSON files with gzip (<c>mqtt_data.2026-11-22.csv.gz</c>); the active file stays plain.</summary>
    public bool CompressRotated { get; set; }

    /// <summary>Delete rotated files and database rows older than this many days. 0 = keep everything.</summary>
    public int RetentionDays { get; set; }

    /// <summary>Delete the oldest rotated files, and the oldest database rows, while they hold more than this many bytes. 0 = no limit.</summary>
    public long RetentionMaxBytes { get; set; }

    /// <summary>Record delivery receipts: each QoS 1/2 delivery a subscriber acknowledged (PUBACK / PUBCOMP), into the
    /// databases' deliveries table (GET /api/deliveries). Off by default: one row per subscriber per message.</summary>
    public bool RecordDeliveries { get; set; }

    /// <summary>The PostgreSQL output (format <c>postgres</c>).</summary>
    public PostgresRecorderOptions Postgres { get; set; } = new();

    /// <summary>Publishers using QoS 1/2 are acknowledged only once their message is written to the files
    /// (at-least-once recording). Costs one flush per batch; see docs/recorder.md.</summary>
    public bool AckAfterRecorded { get; set; }

    /// <summary>Prefix cells a spreadsheet would read as a formula (=, +, -, @, tab, CR) with a quote.
    /// Off by default: it changes the recorded bytes. See docs/recorder.md.</summary>
    public bool CsvEscapeFormulas { get; set; }

    /// <summary>Hand the batches to the disk with direct I/O (Linux O_DIRECT) instead of copying them into the page
    /// cache: the files are only appended to, and at high rates the copy costs the broker more CPU than formatting the
    /// records. Where the platform or file system cannot, the recorder writes through the page cache by itself.
    /// Readers see the files as usual. See docs/recorder.md.</summary>
    public bool DirectWrites { get; set; } = true;

    /// <summary>Longest pause between two attempts to write when the disk refuses (back-off doubles from 100 ms up to this).</summary>
    public int RetryMaxDelayMs { get; set; } = 5000;
}

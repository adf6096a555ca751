using EmbeddedBroker.Protocol;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Recorder.Options;

/// <summary>
/// Rejects recorder settings that cannot work, at start-up (ValidateOnStart), with a message that names the
/// configuration key, the bad value and the fix, e.g. "Recorder:Format 'xml' is not valid: use csv, json, jsonl or both".
/// </summary>
public sealed class RecorderOptionsValidator : IValidateOptions<RecorderOptions>
{
    private const string Section = RecorderOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RecorderOptions options)
    {
        var failures = new List<string>();

        if (!RecordFormatParser.TryParse(options.Format, out _))
        {
            failures.Add($"{Section}:Format '{options.Format}' is not valid: use {RecordFormatParser.Accepted}.");
        }
        else if (RecordFormatParser.TryParse(options.Format, out var formats) && formats.HasFlag(RecordFormats.Postgres))
        {
            ValidatePostgres(options.Postgres, failures);
        }

        ValidateOutput(options.Output, failures);

        if (!FullQueuePolicyParser.TryParse(options.FullQueuePolicy, out _))
        {
            failures.Add($"{Section}:FullQueuePolicy '{options.FullQueuePolicy}' is not valid: use DropNewest or DropOldest "
                + "(the recorder never blocks the broker; for at-least-once recording set AckAfterRecorded=true).");
        }

        if (options.FlushIntervalMs is < 1 or > 3_600_000)
        {
            failures.Add($"{Section}:FlushIntervalMs {options.FlushIntervalMs} is not valid: use a number of milliseconds between 1 and 3600000 (default 1000).");
        }

        if (options.QueueCapacity is < 1 or > 100_000_000)
        {
            failures.Add($"{Section}:QueueCapacity {options.QueueCapacity} is not valid: use a number of messages between 1 and 100000000 (default 100000).");
        }

        if (options.QueueMaxBytes < 1024)
        {
            failures.Add($"{Section}:QueueMaxBytes {options.QueueMaxBytes} is not valid: use a size in bytes of at least 1024 (default 268435456).");
        }

        if (options.RetentionDays < 0)
        {
            failures.Add($"{Section}:RetentionDays {options.RetentionDays} is not valid: use 0 (keep everything) or a number of days such as 30.");
        }

        if (options.RetentionMaxBytes < 0)
        {
            failures.Add($"{Section}:RetentionMaxBytes {options.RetentionMaxBytes} is not valid: use 0 (no limit) or a size in bytes such as 10737418240.");
        }

        if (options.RotateMaxBytes < 0)
        {
            failures.Add($"{Section}:RotateMaxBytes {options.RotateMaxBytes} is not valid: use 0 (no size rotation) or a size in bytes such as 104857600.");
        }

        if (options.RetryMaxDelayMs is < 1 or > 3_600_000)
        {
            failures.Add($"{Section}:RetryMaxDelayMs {options.RetryMaxDelayMs} is not valid: use a number of milliseconds between 1 and 3600000 (default 5000).");
        }

        var topics = options.Topics ?? [];
        for (var i = 0; i < topics.Length; i++)
        {
            if (topics[i] is null || !MqttTopic.IsValidTopicFilter(topics[i]) || MqttTopic.IsSharedSubscription(topics[i]))
            {
                failures.Add($"{Section}:Topics:{i} '{topics[i]}' is not a valid topic filter: use levels separated by '/', "
                    + "'+' for one whole level and '#' only as the last level, e.g. sensors/# or sensors/+/temperature.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidatePostgres(PostgresRecorderOptions? postgres, List<string> failures)
    {
        postgres ??= new PostgresRecorderOptions();
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString ?? "");
        }
        catch (ArgumentException error)
        {
            failures.Add($"{Section}:Postgres:ConnectionString is not valid ({error.Message}): use e.g. Host=localhost;Database=mqtt;Username=recorder;Password=secret.");
        }

        foreach (var (key, table) in new[] { ("Table", postgres.Table), ("DeliveriesTable", postgres.DeliveriesTable) })
        {
            if (!Database.Postgres.PostgresNames.IsValidTableName(table))
            {
                failures.Add($"{Section}:Postgres:{key} '{table}' is not valid: use letters, digits and '_' (at most 63, not starting with a digit), optionally schema.table.");
            }
        }
    }

    private static void ValidateOutput(string? output, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            failures.Add($"{Section}:Output is empty: use a base path without extension, e.g. exports/mqtt_data.");
            return;
        }

        if (output.EndsWith('/') || output.EndsWith('\\') || Directory.Exists(output))
        {
            failures.Add($"{Section}:Output '{output}' is a folder: add a file name without extension, e.g. {Path.Combine(output, "mqtt_data")}.");
            return;
        }

        if (output.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{Section}:Output '{output}' contains characters that are not allowed in a path.");
            return;
        }

        var extension = Path.GetExtension(output);
        if (extension.Equals(".csv", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".json", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".db", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{Section}:Output '{output}' must not have an extension (the recorder adds .csv/.json/.jsonl/.db): "
                + $"use '{output[..^extension.Length]}'.");
        }
    }
}

using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Persistence.Sqlite;

/// <summary>Checks <see cref="PersistenceOptions"/> at start; each failure names the configuration key and the fix.</summary>
public sealed class PersistenceOptionsValidator : IValidateOptions<PersistenceOptions>
{
    public ValidateOptionsResult Validate(string? name, PersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var s = PersistenceOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.Path))
            failures.Add($"{s}:Path is empty: give the store file, e.g. \"data/broker.db\", or set {s}:Enabled = false.");
        else if (options.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || options.Path.EndsWith('/') || options.Path.EndsWith('\\'))
            failures.Add($"{s}:Path = \"{options.Path}\" is not a file name: give a file, e.g. \"data/broker.db\".");
        if (options.FlushInterval < TimeSpan.FromMilliseconds(1) || options.FlushInterval > TimeSpan.FromHours(1))
            failures.Add($"{s}:FlushInterval = {options.FlushInterval} must be 00:00:00.001 .. 01:00:00 (default \"00:00:01\"); it is the loss window of a crash.");
        if (!SynchronousMode.TryParse(options.Synchronous, out _))
            failures.Add($"{s}:Synchronous = \"{options.Synchronous}\" must be \"normal\" or \"full\" (default \"normal\").");
        if (options.MaximumPendingChanges < 1_000)
            failures.Add($"{s}:MaximumPendingChanges = {options.MaximumPendingChanges} must be at least 1000 (default 1000000).");
        if (options.MaximumPendingBytes < 1024 * 1024)
            failures.Add($"{s}:MaximumPendingBytes = {options.MaximumPendingBytes} must be at least 1048576 (1 MiB; default 268435456).");
        if (options.RetryMaxDelay < TimeSpan.FromMilliseconds(100) || options.RetryMaxDelay > TimeSpan.FromMinutes(10))
            failures.Add($"{s}:RetryMaxDelay = {options.RetryMaxDelay} must be 00:00:00.1 .. 00:10:00 (default \"00:00:10\").");
        if (options.AliveInterval < options.FlushInterval || options.AliveInterval > TimeSpan.FromHours(1))
            failures.Add($"{s}:AliveInterval = {options.AliveInterval} must be FlushInterval ({options.FlushInterval}) .. 01:00:00 (default \"00:00:30\").");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

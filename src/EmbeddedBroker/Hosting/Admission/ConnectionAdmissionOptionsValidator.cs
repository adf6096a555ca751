using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>Stops start-up with a message that names the key and the fix.</summary>
internal sealed class ConnectionAdmissionOptionsValidator : IValidateOptions<ConnectionAdmissionOptions>
{
    /// <summary>Measured under ulimit -n 1024: with no reserve the runtime aborts ("Out of memory.") when it cannot
    /// open the descriptors a new thread needs; 64 is the least that kept it alive at the limit.</summary>
    internal const int MinimumReserve = 64;

    public ValidateOptionsResult Validate(string? name, ConnectionAdmissionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConnections < -1)
        {
            failures.Add($"Connections:MaxConnections {options.MaxConnections} is not a count: use -1 (as many as the open-file limit allows) or a number of connections.");
        }

        if (options.ReservedFileDescriptors < MinimumReserve)
        {
            failures.Add($"Connections:ReservedFileDescriptors {options.ReservedFileDescriptors} is too few: the runtime needs descriptors to start threads; use at least {MinimumReserve} (default 128).");
        }

        foreach (var (key, value) in new[]
                 {
                     ("MaxConnectionsPerAddress", options.MaxConnectionsPerAddress),
                     ("MaxConnectRatePerAddress", options.MaxConnectRatePerAddress),
                 })
        {
            if (value < 0)
            {
                failures.Add($"Connections:{key} {value} is negative: use 0 for no limit or a positive number.");
            }
        }

        if (options.MaxConnectRatePerAddress > 0 && options.ConnectBurstPerAddress < 1)
        {
            failures.Add($"Connections:ConnectBurstPerAddress {options.ConnectBurstPerAddress} admits nobody: use at least 1 (default 500).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

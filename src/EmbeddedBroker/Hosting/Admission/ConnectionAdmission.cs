using System.Net;
using EmbeddedBroker.Broker.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>
/// Decides, for every accepted socket of every listener, whether it may stay: under the connection capacity (derived
/// from the open-file limit, so the process never runs out of descriptors, which the runtime does not survive), under
/// the per-address count and connect rate. Refusals are counted by reason and logged at most once per interval each.
/// </summary>
public sealed partial class ConnectionAdmission
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly ConnectionAdmissionOptions _options;
    private readonly ILogger<ConnectionAdmission> _logger;
    private readonly AddressLedger _addresses;
    private readonly long[] _refused = new long[Enum.GetValues<AdmissionRefusal>().Length];
    private readonly LogThrottle[] _refusalLogs = Enum.GetValues<AdmissionRefusal>().Select(_ => new LogThrottle(LogInterval)).ToArray();
    private long _open;

    public ConnectionAdmission(IOptions<ConnectionAdmissionOptions> options, ILogger<ConnectionAdmission> logger)
    {
        _options = options.Value;
        _logger = logger;
        _addresses = new AddressLedger(_options);
        Capacity = ComputeCapacity();
    }

    /// <summary>Connections all listeners together may hold at once.</summary>
    public long Capacity { get; }

    /// <summary>Connections admitted and not yet closed.</summary>
    public long Open => Interlocked.Read(ref _open);

    /// <summary>Addresses the per-address limits remember (live connections or a refilling bucket).</summary>
    internal int TrackedAddresses => _addresses.Count;

    public long Refused(AdmissionRefusal reason) => Interlocked.Read(ref _refused[(int)reason]);

    /// <summary>Admits a socket from <paramref name="remote"/> (null: not an IP socket, only the capacity applies);
    /// returns why not otherwise. Every admission is paired with one <see cref="Release"/>.</summary>
    public AdmissionRefusal? TryAdmit(IPAddress? remote)
    {
        if (Interlocked.Increment(ref _open) > Capacity)
        {
            Interlocked.Decrement(ref _open);
            return Refuse(AdmissionRefusal.Capacity, remote);
        }

        if (remote is not null && AppliesPerAddress(remote))
        {
            var refusal = _addresses.TryAdmit(remote);
            if (refusal is not null)
            {
                Interlocked.Decrement(ref _open);
                return Refuse(refusal.Value, remote);
            }
        }

        return null;
    }

    public void Release(IPAddress? remote)
    {
        if (remote is not null && AppliesPerAddress(remote))
        {
            _addresses.Release(remote);
        }

        Interlocked.Decrement(ref _open);
    }

    /// <summary>accept() failed for want of descriptors or buffers: the pending connection was dropped.</summary>
    public void RecordAcceptFailure(string error) => Refuse(AdmissionRefusal.OutOfResources, null, error);

    private bool AppliesPerAddress(IPAddress remote) => _options.LimitLoopback || !IPAddress.IsLoopback(remote);

    private AdmissionRefusal Refuse(AdmissionRefusal reason, IPAddress? remote, string? error = null)
    {
        Interlocked.Increment(ref _refused[(int)reason]);
        if (_refusalLogs[(int)reason].TryEnter(out var suppressed))
        {
            LogRefused(reason, remote?.ToString() ?? "-", Describe(reason, error), suppressed);
        }

        return reason;
    }

    private string Describe(AdmissionRefusal reason, string? error) => reason switch
    {
        AdmissionRefusal.Capacity => $"{Capacity} connections open (Connections:MaxConnections, or raise the open-file limit: ulimit -n, LimitNOFILE=, docker --ulimit nofile=)",
        AdmissionRefusal.PerAddressLimit => $"{_options.MaxConnectionsPerAddress} connections open from this address (Connections:MaxConnectionsPerAddress)",
        AdmissionRefusal.ConnectRate => $"more than {_options.MaxConnectRatePerAddress} connections per second from this address (Connections:MaxConnectRatePerAddress)",
        _ => $"accept failed: {error} (raise the open-file limit or Connections:ReservedFileDescriptors)",
    };

    private long ComputeCapacity()
    {
        var configured = _options.MaxConnections < 0 ? long.MaxValue : _options.MaxConnections;
        if (FileDescriptorLimit.Read() is not { } descriptors)
        {
            return configured;
        }

        var allowed = Math.Max(0, descriptors.Limit - descriptors.Open - _options.ReservedFileDescriptors);
        if (allowed < configured)
        {
            if (_options.MaxConnections >= 0)
            {
                LogLoweredToDescriptors(_options.MaxConnections, allowed, descriptors.Limit, descriptors.Open, _options.ReservedFileDescriptors);
            }
            else
            {
                LogDerivedFromDescriptors(allowed, descriptors.Limit, descriptors.Open, _options.ReservedFileDescriptors);
            }

            return allowed;
        }

        return configured;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection from {Address} refused ({Reason}): {Detail}; {Suppressed} more refused for this reason since the last report")]
    private partial void LogRefused(AdmissionRefusal reason, string address, string detail, long suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connections: at most {Allowed} at once (open-file limit {Limit}, {Open} in use, {Reserved} kept for files)")]
    private partial void LogDerivedFromDescriptors(long allowed, long limit, long open, int reserved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connections:MaxConnections {Configured} lowered to {Allowed}: the open-file limit is {Limit} ({Open} in use, {Reserved} kept for files); raise it with ulimit -n, LimitNOFILE= or docker --ulimit nofile=")]
    private partial void LogLoweredToDescriptors(int configured, long allowed, long limit, long open, int reserved);
}

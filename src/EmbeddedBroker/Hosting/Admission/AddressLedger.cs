using System.Collections.Concurrent;
using System.Net;

namespace EmbeddedBroker.Hosting.Admission;

/// <summary>
/// Per-address connection counts and connect-rate buckets. An entry lives while its address has connections or its
/// bucket is refilling; idle entries are swept when the ledger grows, and a ledger full of live entries refuses new
/// addresses rather than grow without bound.
/// </summary>
internal sealed class AddressLedger(ConnectionAdmissionOptions options)
{
    /// <summary>Above this many entries, idle ones are swept; if none can go, new addresses are refused.</summary>
    internal const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private int _admitsSinceSweep;

    public AdmissionRefusal? TryAdmit(IPAddress address)
    {
        while (true)
        {
            if (!_entries.TryGetValue(address, out var entry))
            {
                if (_entries.Count >= MaxEntries && !Sweep())
                {
                    return AdmissionRefusal.PerAddressLimit;
                }

                entry = _entries.GetOrAdd(address, static (_, o) => new Entry(o.ConnectBurstPerAddress), options);
            }
            else if (Interlocked.Increment(ref _admitsSinceSweep) >= MaxEntries)
            {
                Sweep();
            }

            lock (entry)
            {
                if (entry.Swept)
                {
                    continue; // removed between the lookup and the lock: take the address's new entry
                }

                if (options.MaxConnectionsPerAddress > 0 && entry.Open >= options.MaxConnectionsPerAddress)
                {
                    return AdmissionRefusal.PerAddressLimit;
                }

                if (options.MaxConnectRatePerAddress > 0 && !entry.TakeToken(options))
                {
                    return AdmissionRefusal.ConnectRate;
                }

                entry.Open++;
                return null;
            }
        }
    }

    public void Release(IPAddress address)
    {
        if (_entries.TryGetValue(address, out var entry))
        {
            lock (entry)
            {
                entry.Open--;
            }
        }
    }

    public int Count => _entries.Count;

    /// <summary>Removes entries with no connection and a full bucket: they hold nothing a new entry would not.</summary>
    private bool Sweep()
    {
        Interlocked.Exchange(ref _admitsSinceSweep, 0);
        var removed = false;
        foreach (var (address, entry) in _entries)
        {
            lock (entry)
            {
                entry.Refill(options);
                if (entry.Open > 0 || entry.Tokens < options.ConnectBurstPerAddress)
                {
                    continue;
                }

                // Marked under its lock, so an admission that found it before the removal retries on a new entry;
                // an entry with connections is never swept, so every release finds the entry its admission counted in.
                entry.Swept = true;
                removed |= _entries.TryRemove(new KeyValuePair<IPAddress, Entry>(address, entry));
            }
        }

        return removed;
    }

    /// <summary>Guarded by its own lock.</summary>
    private sealed class Entry(int burst)
    {
        public int Open;
        public bool Swept;
        public double Tokens = burst;
        private long _refilledAt = Environment.TickCount64;

        public bool TakeToken(ConnectionAdmissionOptions options)
        {
            Refill(options);
            if (Tokens < 1)
            {
                return false;
            }

            Tokens--;
            return true;
        }

        public void Refill(ConnectionAdmissionOptions options)
        {
            var now = Environment.TickCount64;
            Tokens = Math.Min(options.ConnectBurstPerAddress, Tokens + (now - _refilledAt) * options.MaxConnectRatePerAddress / 1000.0);
            _refilledAt = now;
        }
    }
}

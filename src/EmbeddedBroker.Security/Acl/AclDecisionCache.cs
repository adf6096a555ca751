using System.Collections.Concurrent;

namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// One client's remembered decisions by topic: a hit costs one hash lookup instead of a tree walk. Bounded in entries
/// and in estimated bytes; when either bound would be passed the cache is emptied and refills with what is used now.
/// Readers take no lock (publishers deliver to one subscriber from many threads); additions are serialized.
/// A reload gives every client a new cache, so a withdrawn right is never answered from memory.
/// </summary>
internal sealed class AclDecisionCache
{
    // A ConcurrentDictionary node, its key reference and value, and the string header, roughly.
    private const int EntryOverheadBytes = 64;

    private const byte ReadKnown = 1, ReadAllowed = 2, WriteKnown = 4, WriteAllowed = 8;

    private readonly ConcurrentDictionary<string, byte> _decisions = new();
    private readonly Lock _lock = new();
    private readonly int _maximumEntries;
    private readonly int _maximumBytes;
    private int _bytes;

    public AclDecisionCache(int maximumEntries, int maximumBytes)
    {
        _maximumEntries = maximumEntries;
        _maximumBytes = maximumBytes;
    }

    public int Count => _decisions.Count;

    public int EstimatedBytes => Volatile.Read(ref _bytes);

    public bool TryGet(string topic, AclGrant access, out bool allowed)
    {
        allowed = false;
        if (!_decisions.TryGetValue(topic, out var bits))
        {
            return false;
        }
        var (known, yes) = Bits(access);
        allowed = (bits & yes) != 0;
        return (bits & known) != 0;
    }

    public void Store(string topic, AclGrant access, bool allowed)
    {
        var cost = EntryOverheadBytes + (topic.Length * sizeof(char));
        if (_maximumEntries <= 0 || cost > _maximumBytes)
        {
            return;
        }

        var (known, yes) = Bits(access);
        var added = (byte)(known | (allowed ? yes : 0));
        lock (_lock)
        {
            if (_decisions.TryGetValue(topic, out var bits))
            {
                _decisions[topic] = (byte)(bits | added);
                return;
            }
            if (_decisions.Count + 1 > _maximumEntries || _bytes + cost > _maximumBytes)
            {
                _decisions.Clear();
                _bytes = 0;
            }
            _decisions[topic] = added;
            Volatile.Write(ref _bytes, _bytes + cost);
        }
    }

    private static (byte Known, byte Allowed) Bits(AclGrant access) =>
        access == AclGrant.Write ? (WriteKnown, WriteAllowed) : (ReadKnown, ReadAllowed);
}

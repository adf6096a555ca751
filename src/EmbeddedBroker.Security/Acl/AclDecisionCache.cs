using System.Collections.Concurrent;

namespace EmbeddedBroker.Security.Acl;

/// <summary>
/// One client's remembered decisions by topic: a hit costs one hash lookup instead of a tree walk. Bounded in entries
/// and in estimated bytes: room is reserved with an atomic add before an entry goes in, so the bounds hold exactly
/// under concurrent publishers, and once full the cache keeps what it has (it is never emptied to make room: with
/// more distinct topics than room, emptying would turn every check into a miss plus an allocation, which costs more
/// than the tree walk it saves). No lock anywhere. A reload gives every client a new cache, so a withdrawn right is
/// never answered from memory.
/// </summary>
internal sealed class AclDecisionCache
{
    // A ConcurrentDictionary node with its key reference and value, plus the key string's header, roughly; the topic
    // text itself is counted separately (the cache keeps the message's topic string alive).
    private const int EntryOverheadBytes = 64;

    private const byte ReadKnown = 1, ReadAllowed = 2, WriteKnown = 4, WriteAllowed = 8;

    private readonly ConcurrentDictionary<string, byte> _decisions = new();
    private readonly int _maximumEntries;
    private readonly int _maximumBytes;
    private int _entries;
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
        var (known, yes) = Bits(access);
        var added = (byte)(known | (allowed ? yes : 0));

        // The other access of a topic already cached: merge the bits (a lost race just means one more miss later).
        if (_decisions.TryGetValue(topic, out var bits))
        {
            _decisions.TryUpdate(topic, (byte)(bits | added), bits);
            return;
        }

        var cost = EntryOverheadBytes + (topic.Length * sizeof(char));
        if (Interlocked.Increment(ref _entries) > _maximumEntries)
        {
            Interlocked.Decrement(ref _entries);
            return;
        }
        if (Interlocked.Add(ref _bytes, cost) > _maximumBytes)
        {
            Interlocked.Add(ref _bytes, -cost);
            Interlocked.Decrement(ref _entries);
            return;
        }
        if (!_decisions.TryAdd(topic, added))
        {
            Interlocked.Add(ref _bytes, -cost);
            Interlocked.Decrement(ref _entries);
        }
    }

    private static (byte Known, byte Allowed) Bits(AclGrant access) =>
        access == AclGrant.Write ? (WriteKnown, WriteAllowed) : (ReadKnown, ReadAllowed);
}

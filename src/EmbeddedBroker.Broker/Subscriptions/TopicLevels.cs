namespace EmbeddedBroker.Broker.Subscriptions;

/// <summary>Enumerates the '/'-separated levels of a topic or filter as spans, without allocating.
/// "a//b" yields "a", "", "b"; "/a" yields "", "a"; "a/" yields "a", "".</summary>
internal readonly ref struct TopicLevels(string topic)
{
    private readonly string _topic = topic;

    public Enumerator GetEnumerator() => new(_topic);

    public ref struct Enumerator(string topic)
    {
        private readonly string _topic = topic;
        private int _next;
        private ReadOnlySpan<char> _current;

        public readonly ReadOnlySpan<char> Current => _current;

        public bool MoveNext()
        {
            if (_next > _topic.Length)
                return false;
            var slash = _topic.IndexOf('/', _next);
            var end = slash < 0 ? _topic.Length : slash;
            _current = _topic.AsSpan(_next, end - _next);
            _next = end + 1;
            return true;
        }
    }
}

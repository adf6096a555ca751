namespace EmbeddedBroker.Client;

/// <summary>
/// Packet identifier allocation and the table of requests waiting for an answer.
/// Identifiers are never reused while in use (MQTT-2.2.1-3). QoS 1/2 publishes also take a slot of the in-flight
/// quota (the server's Receive Maximum, MQTT-3.3.4-7): beyond it they wait in a FIFO and are sent, in call order,
/// as acknowledgements free slots, so pipelining never reorders messages (MQTT-4.6.0-2).
/// </summary>
internal sealed class PendingOperations
{
    // Leave identifiers free for SUBSCRIBE/UNSUBSCRIBE even when publishes fill the quota.
    private const int MaximumPublishesInFlight = 65_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<ushort, PendingOperation> _byId = [];
    private readonly Queue<PendingOperation> _waitingForSlot = new();
    private readonly Func<PendingOperation, bool> _sendPublish;
    private readonly int _publishQuota;
    private int _publishesInFlight;
    private ushort _lastId;
    private Exception? _closedWith;

    /// <param name="publishQuota">How many QoS 1/2 publishes may await acknowledgement at once.</param>
    /// <param name="sendPublish">Queues the PUBLISH of an operation that just got its identifier; false once the connection is closed.
    /// Called under the lock so that publishes leave in the order they were started.</param>
    public PendingOperations(int publishQuota, Func<PendingOperation, bool> sendPublish)
    {
        _publishQuota = Math.Clamp(publishQuota, 1, MaximumPublishesInFlight);
        _sendPublish = sendPublish;
    }

    /// <summary>Sends the publish now if a slot is free, else queues it behind earlier ones.</summary>
    public void StartPublish(PendingOperation publish)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            if (_publishesInFlight < _publishQuota && _waitingForSlot.Count == 0)
            {
                _publishesInFlight++;
                AssignIdAndSend(publish);
            }
            else
            {
                _waitingForSlot.Enqueue(publish);
            }
        }
    }

    /// <summary>Registers a SUBSCRIBE/UNSUBSCRIBE (outside the publish quota) and gives it an identifier.</summary>
    public void Register(PendingOperation request)
    {
        lock (_lock)
        {
            ThrowIfClosed();
            AssignId(request);
        }
    }

    private void AssignIdAndSend(PendingOperation publish)
    {
        AssignId(publish);
        if (!_sendPublish(publish))
        {
            _byId.Remove(publish.PacketId);
            publish.TrySetException(new MqttConnectionClosedException());
        }
    }

    private void AssignId(PendingOperation operation)
    {
        do
        {
            _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
        }
        while (_byId.ContainsKey(_lastId));

        operation.PacketId = _lastId;
        _byId.Add(_lastId, operation);
    }

    private void ThrowIfClosed()
    {
        if (_closedWith is not null)
        {
            throw new MqttConnectionClosedException("The MQTT connection is closed.", _closedWith);
        }
    }

    public PendingOperation? Find(ushort packetId)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(packetId);
        }
    }

    /// <summary>Frees the identifier; a publish hands its slot to the next waiting one. Returns false when it was not in use.</summary>
    public bool Remove(PendingOperation operation)
    {
        lock (_lock)
        {
            if (operation.PacketId == 0 || !_byId.TryGetValue(operation.PacketId, out var found) || !ReferenceEquals(found, operation))
            {
                return false;
            }

            _byId.Remove(operation.PacketId);
            if (operation.IsPublish)
            {
                HandSlotToNextWaiting();
            }

            return true;
        }
    }

    private void HandSlotToNextWaiting()
    {
        while (_waitingForSlot.TryDequeue(out var next))
        {
            // A caller that cancelled its wait before the publish left gives up the message too.
            if (!next.Task.IsCompleted)
            {
                AssignIdAndSend(next);
                return;
            }
        }

        _publishesInFlight--;
    }

    /// <summary>Fails every waiting request and refuses new ones: the connection is gone.</summary>
    public void FailAll(Exception reason)
    {
        List<PendingOperation> operations;
        lock (_lock)
        {
            _closedWith = reason;
            operations = [.. _byId.Values, .. _waitingForSlot];
            _byId.Clear();
            _waitingForSlot.Clear();
        }

        foreach (var operation in operations)
        {
            operation.TrySetException(reason);
        }
    }
}

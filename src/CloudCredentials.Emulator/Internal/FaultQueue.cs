namespace CloudCredentials.Emulator.Internal;

/// <summary>Per-service FIFO queues of injected faults; each entry is played for its next <c>count</c> requests.</summary>
internal sealed class FaultQueue
{
    private readonly object _gate = new();
    private readonly Dictionary<EmulatorService, LinkedList<Entry>> _queues = [];

    public void Add(EmulatorService service, EmulatorFault fault, int count)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Enum.IsDefined(service))
        {
            throw new ArgumentOutOfRangeException(nameof(service), service, "Unknown emulator service.");
        }

        lock (_gate)
        {
            if (!_queues.TryGetValue(service, out LinkedList<Entry>? queue))
            {
                queue = new LinkedList<Entry>();
                _queues[service] = queue;
            }

            queue.AddLast(new Entry(fault, count));
        }
    }

    /// <summary>Takes the fault for one request to <paramref name="service"/>, or <see langword="null"/> when none is queued.</summary>
    public EmulatorFault? TryTake(EmulatorService service)
    {
        lock (_gate)
        {
            if (!_queues.TryGetValue(service, out LinkedList<Entry>? queue) || queue.First is not { } first)
            {
                return null;
            }

            Entry entry = first.Value;
            entry.Remaining--;
            if (entry.Remaining == 0)
            {
                queue.RemoveFirst();
            }

            return entry.Fault;
        }
    }

    /// <summary>The number of requests to <paramref name="service"/> that will still get a fault.</summary>
    public int Pending(EmulatorService service)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(service, out LinkedList<Entry>? queue) ? queue.Sum(e => e.Remaining) : 0;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _queues.Clear();
        }
    }

    private sealed class Entry(EmulatorFault fault, int remaining)
    {
        public EmulatorFault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}

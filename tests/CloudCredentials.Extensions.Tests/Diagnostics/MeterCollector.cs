using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CloudCredentials.Tests.Diagnostics;

/// <summary>Collects every measurement of one <see cref="Meter"/> through a <see cref="MeterListener"/>.</summary>
internal sealed class MeterCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _recorded = new();

    public MeterCollector(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _recorded.Enqueue(new(instrument, value, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _recorded.Enqueue(new(instrument, value, tags.ToArray())));
        _listener.Start();
    }

    public IReadOnlyList<Recorded> Measurements(string instrumentName) => [.. _recorded.Where(r => r.Instrument.Name == instrumentName)];

    public void RecordObservableInstruments() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    internal sealed record Recorded(Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzzing;

/// <summary>A broken promise: what the broker did with one step, against what the spec (or the engine's contract) says.</summary>
public sealed record Violation(int RunSeed, SessionPlan Session, int Step, FuzzCase Case, string Problem)
{
    public override string ToString()
    {
        var hex = Convert.ToHexString(Case.Bytes.AsSpan(0, Math.Min(Case.Bytes.Length, 96)));
        var spec = Case.Spec.Length > 0 ? $" ({Case.Spec})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"seed {RunSeed} session {Session.Index} (MQTT {Session.Version}, client {Session.ClientId}) step {Step} \"{Case.Kind}\"{spec}: {Problem}; bytes {hex}{(Case.Bytes.Length > 96 ? "..." : "")}");
    }
}

/// <summary>What a fuzz run sent and saw; thread-safe, shared by all its sessions.</summary>
public sealed class FuzzReport(int runSeed)
{
    private const int KeptViolations = 50;
    private readonly ConcurrentQueue<Violation> _violations = new();
    private readonly ConcurrentDictionary<string, long> _closes = new();
    private readonly ConcurrentDictionary<string, long> _kinds = new();
    private long _packets;
    private long _mutated;
    private long _sessions;
    private long _violationCount;
    private long _resets;

    public int RunSeed { get; } = runSeed;

    /// <summary>Packets sent as steps or first packets (probes and acknowledgements not counted).</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Of <see cref="Packets"/>, those that break a spec statement or are blind mutations.</summary>
    public long Mutated => Interlocked.Read(ref _mutated);

    public long Sessions => Interlocked.Read(ref _sessions);

    public long ViolationCount => Interlocked.Read(ref _violationCount);

    /// <summary>Connections that ended with a TCP reset rather than a close (their last reason code went unseen).</summary>
    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>The first violations (at most 50; <see cref="ViolationCount"/> has them all).</summary>
    public IReadOnlyCollection<Violation> Violations => _violations;

    /// <summary>How connections ended, e.g. "5.0 DISCONNECT 0x81", "3.1.1 closed".</summary>
    public IReadOnlyDictionary<string, long> Closes => _closes;

    internal void SessionStarted() => Interlocked.Increment(ref _sessions);

    internal void Sent(FuzzCase fuzzCase)
    {
        Interlocked.Increment(ref _packets);
        if (fuzzCase.Verdict != Verdict.Accepted)
            Interlocked.Increment(ref _mutated);
        _kinds.AddOrUpdate(fuzzCase.Kind, 1, (_, n) => n + 1);
    }

    internal void Closed(MqttProtocolVersion version, MqttReasonCode? code, bool reset)
    {
        if (reset)
            Interlocked.Increment(ref _resets);
        var name = version switch { MqttProtocolVersion.V500 => "5.0", MqttProtocolVersion.V311 => "3.1.1", _ => "3.1" };
        var how = reset ? "reset" : code is { } c ? $"DISCONNECT 0x{(byte)c:X2}" : "closed";
        _closes.AddOrUpdate($"{name} {how}", 1, (_, n) => n + 1);
    }

    internal void Add(Violation violation)
    {
        if (Interlocked.Increment(ref _violationCount) <= KeptViolations)
            _violations.Enqueue(violation);
    }

    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"fuzz seed {RunSeed}: {Packets} packets ({Mutated} malformed or mutated) on {Sessions} connections, {ViolationCount} violations, {Resets} resets");
        text.AppendLine();
        foreach (var (how, count) in _closes.OrderBy(c => c.Key, StringComparer.Ordinal))
            text.AppendLine(CultureInfo.InvariantCulture, $"  {how}: {count}");
        var frequent = string.Join(", ", _kinds.OrderByDescending(k => k.Value).Take(5).Select(k => $"{k.Key} {k.Value}"));
        text.AppendLine(CultureInfo.InvariantCulture, $"  {_kinds.Count} kinds of packets; the most frequent: {frequent}");
        foreach (var violation in _violations.Take(20))
            text.AppendLine("  " + violation);
        return text.ToString();
    }
}

using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Fuzzing;

/// <summary>
/// Everything one fuzz connection sends, decided up front from its seed alone: the version, the first packet, the steps
/// after CONNACK and how it ends. Replaying a session is creating its plan again from the run seed and its index.
/// </summary>
public sealed record SessionPlan(int Index, int Seed, MqttProtocolVersion Version, string ClientId, FuzzCase Connect, IReadOnlyList<FuzzCase> Steps,
    bool EndWithDisconnect)
{
    /// <summary>Connections that fuzz their CONNECT (and send nothing after it), out of 100.</summary>
    private const int ConnectFuzzPercent = 15;

    public static SessionPlan Create(int runSeed, int index, FuzzLimits limits)
    {
        var seed = SessionSeed(runSeed, index);
        var random = new Random(seed);
        var version = random.Next(10) switch
        {
            0 => MqttProtocolVersion.V310,
            < 5 => MqttProtocolVersion.V311,
            _ => MqttProtocolVersion.V500,
        };
        var fuzzConnect = random.Next(100) < ConnectFuzzPercent;
        // Ids of CONNECT-fuzzing sessions share no prefix with the others, so a mutated id never takes one of them over.
        var clientId = (fuzzConnect ? "c-" : "f") + index.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var model = new SessionModel(random, version, clientId, limits);

        FuzzCase connect;
        var steps = new List<FuzzCase>();
        if (fuzzConnect)
        {
            connect = model.Chance(0.6)
                ? ConnectCases.Invalid(model)
                : BlindMutations.Mutate(model, ConnectCases.Valid(model.Scratch(), model.Chance(0.5)).Bytes, ValidBytes(model.Scratch()));
        }
        else
        {
            connect = ConnectCases.Valid(model, withWill: model.Chance(0.3));
            for (var i = random.Next(1, 21); i > 0; i--)
            {
                var step = NextStep(model);
                steps.Add(Completed(step, model));
                if (step.Verdict == Verdict.Refused)
                    break; // the broker closes here: nothing after it would be read
            }
        }

        return new SessionPlan(index, seed, version, clientId, Completed(connect, model), steps, EndWithDisconnect: model.Chance(0.5));
    }

    /// <summary>Half valid packets, a quarter breaking one spec statement, a quarter blind mutations.</summary>
    private static FuzzCase NextStep(SessionModel model)
    {
        var roll = model.Random.Next(100);
        if (roll < 50)
        {
            var packet = ValidPackets.Next(model, out var kind);
            return FuzzCase.Valid(kind, PacketBytes.Encode(packet, model.Version));
        }

        if (roll < 75)
            return model.IsV5 && model.Chance(0.45) ? PropertyCases.Next(model) : MalformedCases.Next(model);

        var mutated = BlindMutations.Mutate(model, ValidBytes(model.Scratch()), ValidBytes(model.Scratch()));
        model.ModelUncertain = true;
        return mutated;
    }

    private static byte[] ValidBytes(SessionModel scratch) => PacketBytes.Encode(ValidPackets.Next(scratch, out _), scratch.Version);

    private static FuzzCase Completed(FuzzCase fuzzCase, SessionModel model) =>
        fuzzCase with { Bytes = FrameCompletion.Complete(fuzzCase.Bytes, model.Limits.MaximumPacketSize, model.Random) };

    /// <summary>A well-mixed, process-independent seed per session (string.GetHashCode is randomized per process).</summary>
    public static int SessionSeed(int runSeed, int index)
    {
        var z = ((ulong)(uint)runSeed << 32) | (uint)index;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }
}

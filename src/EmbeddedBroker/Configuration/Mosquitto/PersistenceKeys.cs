namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>persistence (and its old name retained_persistence), persistence_location, persistence_file and
/// autosave_interval.</summary>
internal static class PersistenceKeys
{
    /// <summary>The store's validator accepts flush intervals up to an hour.</summary>
    private const int MaximumFlushSeconds = 3600;

    public static void Register(IDictionary<string, KeyHandler> handlers)
    {
        handlers["persistence"] = (state, line) => state.Broker.Persistence = line.Boolean();
        handlers["retained_persistence"] = (state, line) => state.Broker.Persistence = line.Boolean();
        handlers["persistence_location"] = (state, line) =>
        {
            state.Once(line, state.Broker);
            state.Broker.PersistenceLocation = state.ResolvePath(line.Text());
            state.Broker.PersistencePathLine ??= line;
        };
        handlers["persistence_file"] = (state, line) =>
        {
            state.Once(line, state.Broker);
            state.Broker.PersistenceFile = line.Text();
            state.Broker.PersistencePathLine = line;
        };
        handlers["autosave_interval"] = (state, line) =>
        {
            var seconds = line.Integer(int.MinValue, int.MaxValue, $"1..{MaximumFlushSeconds} seconds");
            if (seconds <= 0)
            {
                throw line.Error("0 (save only when stopping) has no equivalent: the store writes changes behind continuously",
                    $"remove the line (changes are then written within 1 s) or give 1..{MaximumFlushSeconds} seconds");
            }

            if (seconds > MaximumFlushSeconds)
            {
                throw line.Error($"{seconds} seconds is longer than the store keeps changes in memory",
                    $"use 1..{MaximumFlushSeconds} seconds (it is the most a crash can lose)");
            }

            state.Broker.FlushInterval = TimeSpan.FromSeconds(seconds);
        };
    }
}

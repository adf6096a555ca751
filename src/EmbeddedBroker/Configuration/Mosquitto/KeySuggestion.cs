namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// The known key closest to a mistyped one, by optimal string alignment distance (insertions, deletions, substitutions
/// and swaps of two neighbours each count one, so "allow_anonymuos" is one step from "allow_anonymous"). Keys are
/// compared ignoring case, since mosquitto.conf keys are lower case and "Listener" is a likely mistake.
/// </summary>
internal static class KeySuggestion
{
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        var lowered = typed.ToLowerInvariant();
        var allowed = Math.Max(2, lowered.Length / 4);
        return known
            .Select(key => (key, distance: Distance(lowered, key)))
            .Where(candidate => candidate.distance <= allowed)
            .OrderBy(candidate => candidate.distance)
            .ThenBy(candidate => candidate.key, StringComparer.Ordinal)
            .Select(candidate => candidate.key)
            .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, d[i - 2, j - 2] + 1);
                }

                d[i, j] = best;
            }
        }

        return d[a.Length, b.Length];
    }
}

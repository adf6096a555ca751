namespace EmbeddedBroker.Configuration.Mosquitto;

/// <summary>
/// The order Mosquitto reads an include_dir in (mosquitto.conf(5): 00.conf, 01.conf, A.conf, a.conf, B.conf, b.conf):
/// at the first position where two names differ, letters compare ignoring case, and the same letter puts its upper
/// case first; a name that is a prefix of the other comes first.
/// </summary>
internal static class IncludeOrder
{
    public static int Compare(string a, string b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var byLetter = char.ToUpperInvariant(a[i]).CompareTo(char.ToUpperInvariant(b[i]));
            if (byLetter != 0)
            {
                return byLetter;
            }

            var byCase = a[i].CompareTo(b[i]);
            if (byCase != 0)
            {
                return byCase;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}

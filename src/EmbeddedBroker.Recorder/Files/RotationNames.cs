using System.Globalization;

namespace EmbeddedBroker.Recorder.Files;

/// <summary>
/// Names of rotated files: <c>mqtt_data.2026-11-22.csv</c>, then <c>mqtt_data.2026-11-22.1.csv</c>, <c>.2.csv</c>, ...
/// (the first free name, so the numbering follows the order the files were closed in; a name whose gzipped copy
/// <c>.csv.gz</c> exists is taken too). The active file keeps the configured name (<c>mqtt_data.csv</c>) so tools that
/// follow it never have to guess.
/// </summary>
internal static class RotationNames
{
    public static string ForDay(string basePath, DateOnly day, string extension) =>
        FirstFree(basePath + "." + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), extension);

    public static string FirstFree(string stem, string extension)
    {
        var candidate = stem + extension;
        for (var index = 1; File.Exists(candidate) || File.Exists(candidate + RotatedFileCompressor.Extension); index++)
        {
            candidate = stem + "." + index.ToString(CultureInfo.InvariantCulture) + extension;
        }

        return candidate;
    }
}

using Microsoft.Extensions.Options;

namespace EmbeddedBroker.LiveConsole;

internal sealed class LiveConsoleOptionsValidator : IValidateOptions<LiveConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveConsoleOptions options)
    {
        var failures = new List<string>();
        if (options.MaxLinesPerSecond is < 1 or > 10_000)
        {
            failures.Add($"Console:MaxLinesPerSecond {options.MaxLinesPerSecond} is not valid: use 1..10000 (default 20).");
        }

        if (!(options.StatusIntervalSeconds >= 1 && options.StatusIntervalSeconds <= 3600))
        {
            failures.Add($"Console:StatusIntervalSeconds {options.StatusIntervalSeconds} is not valid: use 1..3600 seconds (default 10).");
        }

        if (options.PayloadPreviewLength is < 0 or > 10_000)
        {
            failures.Add($"Console:PayloadPreviewLength {options.PayloadPreviewLength} is not valid: use 0..10000 characters (default 60).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

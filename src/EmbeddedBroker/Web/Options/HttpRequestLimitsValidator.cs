using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Web.Options;

/// <summary>Stops start-up on request limits Kestrel would refuse, naming the key and an accepted value.</summary>
internal sealed class HttpRequestLimitsValidator : IValidateOptions<HttpRequestLimitsOptions>
{
    private const string Section = HttpRequestLimitsOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, HttpRequestLimitsOptions options)
    {
        var failures = Failures(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static bool IsValid(HttpRequestLimitsOptions options) => !Failures(options).Any();

    private static IEnumerable<string> Failures(HttpRequestLimitsOptions options)
    {
        if (options.HeadersTimeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:HeadersTimeout {options.HeadersTimeout} must be positive, e.g. 00:00:30.";
        }

        if (options.MinBodyBytesPerSecond < 0 || double.IsNaN(options.MinBodyBytesPerSecond))
        {
            yield return $"{Section}:MinBodyBytesPerSecond {options.MinBodyBytesPerSecond} must be 0 (off) or more bytes per second, e.g. 240.";
        }

        if (options.BodyGracePeriod <= TimeSpan.FromSeconds(1))
        {
            yield return $"{Section}:BodyGracePeriod {options.BodyGracePeriod} must be longer than 1 second (the server checks once a second), e.g. 00:00:05.";
        }
    }
}

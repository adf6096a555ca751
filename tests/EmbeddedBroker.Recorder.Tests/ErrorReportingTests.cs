using EmbeddedBroker.Recorder.Pipeline;
using EmbeddedBroker.Recorder.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Recorder.Tests;

/// <summary>
/// A failing disk is reported without flooding the log: at most one line per interval with the failures it stands
/// for, the full stack trace at most once per <see cref="FailureLogThrottle.StackTraceInterval"/>, one-line summaries
/// between.
/// </summary>
public sealed class ErrorReportingTests : TempFolderFixture
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Test]
    public void The_first_failure_is_reported_at_once_with_its_stack_trace()
    {
        var throttle = new FailureLogThrottle(Interval, new ManualTime());

        Assert.That(throttle.TryReport(out var failures, out var withStackTrace), Is.True);
        Assert.That((failures, withStackTrace), Is.EqualTo((1, true)));
    }

    [Test]
    public void Failures_within_an_interval_are_counted_into_the_next_line_which_is_a_one_line_summary()
    {
        var time = new ManualTime();
        var throttle = new FailureLogThrottle(Interval, time);
        throttle.TryReport(out _, out _);

        var held = Enumerable.Range(0, 50).Count(attempt =>
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            return !throttle.TryReport(out _, out _);
        });
        time.Advance(Interval);

        Assert.That(held, Is.EqualTo(50), "no line within the interval");
        Assert.That(throttle.TryReport(out var failures, out var withStackTrace), Is.True);
        Assert.That((failures, withStackTrace), Is.EqualTo((51, false)));
    }

    [Test]
    public void The_stack_trace_comes_again_only_after_StackTraceInterval()
    {
        var time = new ManualTime();
        var throttle = new FailureLogThrottle(Interval, time);
        var stackTraces = 0;
        var lines = 0;

        // A disk that fails every 100 ms for 25 minutes.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromMinutes(25); elapsed += TimeSpan.FromMilliseconds(100))
        {
            if (throttle.TryReport(out _, out var withStackTrace))
            {
                lines++;
                stackTraces += withStackTrace ? 1 : 0;
            }

            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.That(stackTraces, Is.EqualTo(3), "at 0, 10 and 20 minutes");
        Assert.That(lines, Is.EqualTo(25 * 60), "one line a second");
    }

    [Test]
    public void After_a_recovery_the_next_failure_is_reported_at_once_but_without_repeating_a_recent_stack_trace()
    {
        var time = new ManualTime();
        var throttle = new FailureLogThrottle(Interval, time);
        throttle.TryReport(out _, out _);
        time.Advance(TimeSpan.FromMilliseconds(10));

        throttle.Reset();

        Assert.That(throttle.TryReport(out var failures, out var withStackTrace), Is.True);
        Assert.That((failures, withStackTrace), Is.EqualTo((1, false)));
    }

    [Test]
    public async Task An_unwritable_folder_logs_one_stack_trace_and_then_one_line_summaries()
    {
        var blocker = Temp.Combine("exports");
        await File.WriteAllTextAsync(blocker, "a file where the folder should be");
        var logger = new CollectingLogger<MessageRecorder>();
        await using var run = await RecorderRun.StartAsync(RecorderRun.OptionsFor(Path.Combine(blocker, "mqtt_data")), logger);

        run.Publish(Messages.Text("sensors/t", "waiting"));
        await Eventually.HoldsAsync(() => logger.Errors.Count >= 3, "three report intervals of failures", TimeSpan.FromSeconds(15));

        Assert.That(logger.WithStackTrace(LogLevel.Error), Is.EqualTo(1), "one stack trace, however many lines");
        Assert.That(logger.Errors.Skip(1), Has.All.Contains("cannot write").And.Contains("IOException"), "the summaries name the reason");
        Assert.That(run.Statistics.WriteErrors, Is.GreaterThan(logger.Errors.Count), "not one line per failed attempt");
        File.Delete(blocker);
        await run.RecordedAsync(1);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}

using EmbeddedBroker.Security.Authentication;
using EmbeddedBroker.Security.Editing;
using EmbeddedBroker.Security.Tests.Support;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Security.Tests.Authentication;

public class FailedLoginTests
{
    private ManualTimeProvider _time = null!;
    private CapturingLogger<PasswordFileAuthenticator> _log = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new ManualTimeProvider();
        _log = new CapturingLogger<PasswordFileAuthenticator>();
    }

    private FailedLoginTracker Tracker(FailedLoginOptions? options = null) =>
        new(options ?? new FailedLoginOptions(), _time, _log);

    private IReadOnlyList<string> Warnings => _log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();

    [Test]
    public void Repeated_failures_from_one_address_wait_longer_each_time_up_to_the_bound()
    {
        var tracker = Tracker(new FailedLoginOptions { FreeAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(250), MaximumDelay = TimeSpan.FromSeconds(2) });
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            delays.Add(tracker.DelayFor("10.0.0.1"));
            tracker.RecordFailure("10.0.0.1", "c", "u", LoginFailure.WrongPassword);
        }
        Assert.That(delays.Select(d => d.TotalMilliseconds), Is.EqualTo(new double[] { 0, 0, 0, 250, 500, 1000, 2000, 2000 }));
        Assert.That(tracker.DelayFor("10.0.0.2"), Is.EqualTo(TimeSpan.Zero), "other addresses are not slowed");
    }

    [Test]
    public void An_address_is_forgiven_after_a_quiet_period()
    {
        var tracker = Tracker();
        for (var i = 0; i < 5; i++)
        {
            tracker.RecordFailure("10.0.0.1", "c", "u", LoginFailure.UnknownUser);
        }
        Assert.That(tracker.DelayFor("10.0.0.1"), Is.GreaterThan(TimeSpan.Zero));
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.That(tracker.DelayFor("10.0.0.1"), Is.EqualTo(TimeSpan.Zero));
        tracker.RecordFailure("10.0.0.1", "c", "u", LoginFailure.UnknownUser);
        Assert.That(tracker.DelayFor("10.0.0.1"), Is.EqualTo(TimeSpan.Zero), "the count starts again");
    }

    [Test]
    public void Failures_are_logged_once_per_address_per_interval_with_client_address_and_user_never_the_password()
    {
        var tracker = Tracker();
        for (var i = 0; i < 50; i++)
        {
            tracker.RecordFailure("10.0.0.1", "sensor-7", "alice", LoginFailure.WrongPassword);
        }
        Assert.That(Warnings, Has.Count.EqualTo(1));
        Assert.That(Warnings[0], Does.Contain("10.0.0.1").And.Contain("sensor-7").And.Contain("alice").And.Contain("wrong password"));

        _time.Advance(TimeSpan.FromSeconds(61));
        tracker.RecordFailure("10.0.0.1", "sensor-7", "alice", LoginFailure.WrongPassword);
        Assert.That(Warnings, Has.Count.EqualTo(2));
        Assert.That(Warnings[1], Does.Contain("51 failures from this address recently, 49 not logged since its last line"));
    }

    [Test]
    public void Many_addresses_are_capped_per_interval_and_the_next_line_counts_what_was_left_out()
    {
        var tracker = Tracker(new FailedLoginOptions { MaximumLogLinesPerInterval = 5 });
        for (var i = 0; i < 30; i++)
        {
            tracker.RecordFailure($"10.0.1.{i}", "c", null, LoginFailure.Anonymous);
        }
        Assert.That(Warnings, Has.Count.EqualTo(5));
        _time.Advance(TimeSpan.FromMinutes(2));
        tracker.RecordFailure("10.0.2.1", "c", null, LoginFailure.Anonymous);
        Assert.That(Warnings[^1], Does.Contain("25 other failed logins not logged (log cap)").And.Contain("user (none)"));
    }

    [Test]
    public void Hostile_client_ids_and_user_names_cannot_forge_log_lines()
    {
        var tracker = Tracker();
        tracker.RecordFailure("10.0.0.1", "evil\nINFO fake line", new string('u', 1000), LoginFailure.UnknownUser);
        Assert.That(Warnings[0], Does.Not.Contain("\n"));
        Assert.That(Warnings[0].Length, Is.LessThan(600));
    }

    [Test]
    public void The_number_of_remembered_addresses_is_bounded()
    {
        var tracker = Tracker(new FailedLoginOptions { MaximumTrackedAddresses = 100 });
        for (var i = 0; i < 10_000; i++)
        {
            tracker.RecordFailure($"10.{i / 65536}.{i / 256 % 256}.{i % 256}", "c", "u", LoginFailure.UnknownUser);
        }
        Assert.That(tracker.TrackedAddresses, Is.EqualTo(100));
    }

    [Test]
    public async Task A_slowed_attempt_waits_on_a_timer_and_gives_up_when_the_connection_closes()
    {
        using var directory = new TempDirectory();
        var passwords = directory.File("pw");
        PasswordFileEditor.Create(passwords, "alice", "secret");
        var options = new SecurityOptions
        {
            Default = { PasswordFile = passwords },
            FailedLogins = { FreeAttempts = 1, InitialDelay = TimeSpan.FromMinutes(1), MaximumDelay = TimeSpan.FromMinutes(1) },
        };
        var authenticator = new PasswordFileAuthenticator(options);
        var first = await authenticator.AuthenticateAsync(Clients.Connect("alice", "wrong"), CancellationToken.None);
        Assert.That(first.IsAccepted, Is.False);

        using var closed = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.That(async () => await authenticator.AuthenticateAsync(Clients.Connect("alice", "secret"), closed.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(authenticator.Counters.Delayed, Is.EqualTo(1));
        Assert.That((await authenticator.AuthenticateAsync(Clients.Connect("alice", "secret", address: "10.9.9.9"), CancellationToken.None)).IsAccepted,
            Is.True, "another address is answered at once");
    }
}

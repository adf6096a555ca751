using System.Collections.Concurrent;
using System.Diagnostics;
using EmbeddedBroker.Broker.Hooks;
using EmbeddedBroker.Fuzzing;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security;
using EmbeddedBroker.Security.Authentication;
using EmbeddedBroker.Security.Editing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmbeddedBroker.Broker.Tests.Fuzz;

/// <summary>
/// Issue 10's "100,000 random CONNECT credentials": the engine with the password-file hooks (AddMosquittoSecurity over a
/// file written by PasswordFileEditor, anonymous refused) gets CONNECTs whose user names, passwords and client ids are
/// random bytes, ill-formed UTF-8, empty, absent, huge or near-valid, over 16 connections at a time. Nobody gets in,
/// nothing hangs or fails, and the valid user still gets in afterwards.
/// </summary>
[TestFixture]
public sealed class RandomCredentialsTests
{
    private const int Attempts = 100_000;
    private const string User = "alice";
    private const string Password = "s3cret-Ω";

    [Test]
    [CancelAfter(120_000)]
    public async Task Random_credentials_never_get_in_and_never_break_the_broker_and_the_valid_user_still_connects_MQTT_3_1_4_2()
    {
        var folder = Directory.CreateTempSubdirectory("eb-credentials-");
        var logs = new FaultWatchingLoggerFactory();
        try
        {
            var passwordFile = Path.Combine(folder.FullName, "passwords");
            PasswordFileEditor.Create(passwordFile, User, Password);
            PasswordFileEditor.SetPassword(passwordFile, "bob", "hunter2");
            var security = new SecurityOptions { Default = { PasswordFile = passwordFile, AllowAnonymous = false } };
            await using var services = new ServiceCollection().AddSingleton<ILoggerFactory>(logs).AddLogging().AddMosquittoSecurity(security).BuildServiceProvider();
            var authenticator = services.GetRequiredService<PasswordFileAuthenticator>();
            var hooks = new MqttBrokerHooks
            {
                Authenticator = services.GetRequiredService<IConnectAuthenticator>(),
                EnhancedAuthenticator = services.GetRequiredService<IEnhancedAuthenticator>(),
                PublishAuthorizer = services.GetRequiredService<IPublishAuthorizer>(),
                SubscribeAuthorizer = services.GetRequiredService<ISubscribeAuthorizer>(),
                DeliveryAuthorizer = services.GetRequiredService<IDeliveryAuthorizer>(),
            };
            var broker = new MqttBroker(new MqttBrokerOptions { EnableSysTopics = false }, hooks, logs);
            try
            {
                var clock = Stopwatch.StartNew();
                var outcomes = await AttemptAllAsync(broker);
                clock.Stop();
                TestContext.Out.WriteLine($"{Attempts} attempts in {clock.Elapsed.TotalSeconds:0.0} s: " + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
                TestContext.Out.WriteLine($"authenticator: {authenticator.Counters.Accepted} accepted, {authenticator.Counters.FailedLogins} failed logins, {authenticator.Counters.Delayed} delayed, {authenticator.TrackedFailureAddresses} addresses tracked");

                Assert.That(outcomes.Keys.Where(k => k.StartsWith(nameof(CredentialOutcome.Accepted), StringComparison.Ordinal)
                    || k.StartsWith(nameof(CredentialOutcome.Hung), StringComparison.Ordinal) || k.StartsWith(nameof(CredentialOutcome.Wrong), StringComparison.Ordinal)), Is.Empty,
                    "no attempt got in, hung or got a wrong answer");
                Assert.That(broker.Statistics.ConnectionsTotal, Is.Zero, "nobody was connected");
                Assert.That(authenticator.Counters.Accepted, Is.Zero);
                // About half are malformed on purpose (random bytes, ill-formed UTF-8, U+0000) and closed without CONNACK.
                Assert.That(outcomes.Where(o => o.Key.StartsWith(nameof(CredentialOutcome.Refused), StringComparison.Ordinal)).Sum(o => o.Value), Is.GreaterThan(Attempts * 2 / 5),
                    "a good share was well-formed enough to reach the password check");

                // The valid user still gets in, in 3.1.1 and 5.0 (return code 0 / reason 0x00).
                foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
                {
                    await using var valid = new Harness.TestClient(broker, version, "memory:valid");
                    var connAck = await valid.ConnectAsync("valid-" + version, username: User, password: System.Text.Encoding.UTF8.GetBytes(Password));
                    Assert.That(connAck.ReasonCode, Is.EqualTo(MqttReasonCode.Success), $"the valid user in MQTT {version}");
                    await valid.DisconnectAsync();
                }

                Assert.That(authenticator.Counters.Accepted, Is.EqualTo(2));
            }
            finally
            {
                await broker.DisposeAsync();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        Assert.That(logs.Errors, Is.Empty);
        Assert.That(logs.Exceptions.Values, Is.Empty);
        Assert.That(logs.Count(LogLevel.Warning), Is.LessThan(200), "failed logins are logged once per address per interval, capped per interval");
    }

    /// <summary>All attempts over 16 parallel in-memory connections; outcomes counted as "Refused 0x87", "Closed", ...</summary>
    private static async Task<ConcurrentDictionary<string, int>> AttemptAllAsync(MqttBroker broker)
    {
        var connections = new InMemoryFuzzConnections(broker);
        var outcomes = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var random = new Random(1000 + worker);
            while (Interlocked.Increment(ref next) < Attempts)
            {
                var attempt = RandomCredentials.Next(random, User, Password);
                var transport = await connections.ConnectAsync(CancellationToken.None);
                await using (transport)
                {
                    var (outcome, code) = await CredentialProbe.RunAsync(transport.Pipe, attempt, random, TimeSpan.FromSeconds(10), CancellationToken.None);
                    var key = code is { } c && outcome == CredentialOutcome.Refused ? $"{outcome} 0x{(byte)c:X2}" : outcome.ToString();
                    outcomes.AddOrUpdate(key, 1, (_, n) => n + 1);
                    if (outcome is CredentialOutcome.Accepted or CredentialOutcome.Hung or CredentialOutcome.Wrong && failures.Count < 10)
                        failures.Enqueue($"{outcome}: {attempt.Kind}: {Convert.ToHexString(attempt.Connect.AsSpan(0, Math.Min(80, attempt.Connect.Length)))}");
                }
            }
        })));
        foreach (var failure in failures)
            TestContext.Out.WriteLine(failure);
        Assert.That(connections.Unfinished, Is.Empty, "the broker finished every connection");
        return outcomes;
    }
}

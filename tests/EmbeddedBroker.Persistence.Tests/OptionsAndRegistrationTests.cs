using EmbeddedBroker.Persistence.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.Persistence.Tests;

public sealed class OptionsAndRegistrationTests
{
    private static IConfiguration Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"Persistence:{v.Key}", v.Value)))
            .Build().GetSection("Persistence");

    private static IEnumerable<string> Failures(PersistenceOptions options) =>
        new PersistenceOptionsValidator().Validate(null, options).Failures ?? [];

    [Test]
    public void Defaults_keep_state_in_data_broker_db_flushing_every_second()
    {
        var options = new PersistenceOptions();
        Assert.That((options.Enabled, options.Path, options.FlushInterval, options.Synchronous, options.DurableAcknowledgements),
            Is.EqualTo((true, "data/broker.db", TimeSpan.FromSeconds(1), "normal", false)));
        Assert.That((options.MaximumPendingChanges, options.MaximumPendingBytes), Is.EqualTo((1_000_000, 256L * 1024 * 1024)));
        Assert.That(Failures(options), Is.Empty);
    }

    [TestCase("Path", "", "Persistence:Path is empty")]
    [TestCase("Path", "data/", "is not a file name")]
    [TestCase("FlushInterval", "00:00:00", "Persistence:FlushInterval = 00:00:00 must be")]
    [TestCase("FlushInterval", "02:00:00", "Persistence:FlushInterval = 02:00:00 must be")]
    [TestCase("Synchronous", "off", "Persistence:Synchronous = \"off\" must be \"normal\" or \"full\"")]
    [TestCase("MaximumPendingChanges", "10", "Persistence:MaximumPendingChanges = 10 must be at least 1000")]
    [TestCase("MaximumPendingBytes", "1000", "Persistence:MaximumPendingBytes = 1000 must be at least 1048576")]
    [TestCase("RetryMaxDelay", "00:00:00", "Persistence:RetryMaxDelay = 00:00:00 must be")]
    [TestCase("AliveInterval", "00:00:00.5", "Persistence:AliveInterval = 00:00:00.5000000 must be FlushInterval")]
    public void Bad_value_is_refused_naming_the_key_and_the_fix(string key, string value, string expected)
    {
        var options = Section((key, value)).Get<PersistenceOptions>()!;
        Assert.That(Failures(options), Has.Some.Contains(expected));
    }

    [Test]
    public void Settings_bind_from_the_Persistence_section_and_synchronous_is_case_insensitive()
    {
        var options = Section(("Path", "/var/lib/broker/state.db"), ("FlushInterval", "00:00:05"), ("Synchronous", "FULL"),
            ("DurableAcknowledgements", "true"), ("MaximumPendingChanges", "5000"), ("MaximumPendingBytes", "10485760")).Get<PersistenceOptions>()!;
        Assert.That((options.Path, options.FlushInterval, options.DurableAcknowledgements, options.MaximumPendingChanges),
            Is.EqualTo(("/var/lib/broker/state.db", TimeSpan.FromSeconds(5), true, 5000)));
        Assert.That(Failures(options), Is.Empty);
    }

    [Test]
    public void Registration_when_enabled_exposes_one_store_as_IBrokerStore_and_hosted_service()
    {
        var services = new ServiceCollection().AddLogging().AddSqlitePersistence(Section(("Path", "unused.db")));
        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<SqliteBrokerStore>();
        Assert.That(provider.GetRequiredService<IBrokerStore>(), Is.SameAs(store));
        Assert.That(provider.GetServices<IHostedService>(), Has.Member(store));
        Assert.That(provider.GetRequiredService<PersistenceStatistics>(), Is.SameAs(store.Statistics));
        Assert.That(store.Statistics.Enabled, Is.True);
    }

    [Test]
    public void Registration_when_disabled_registers_no_store_and_statistics_say_so()
    {
        var services = new ServiceCollection().AddLogging().AddSqlitePersistence(Section(("Enabled", "false")));
        using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetService<IBrokerStore>(), Is.Null);
        Assert.That(provider.GetServices<IHostedService>(), Is.Empty);
        Assert.That(provider.GetRequiredService<PersistenceStatistics>().Enabled, Is.False);
    }

    [Test]
    public async Task Host_with_a_bad_setting_does_not_start_and_says_which()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSqlitePersistence(Section(("FlushInterval", "-00:00:01")));
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.That(error!.Failures, Has.Some.Contains("Persistence:FlushInterval"));
    }

    [Test]
    public async Task Host_starts_the_store_and_stopping_it_commits_what_was_handed_over()
    {
        await using var folder = new StoreFolder();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSqlitePersistence(Section(("Path", folder.Path), ("FlushInterval", "01:00:00"), ("AliveInterval", "01:00:00")));
        using (var host = builder.Build())
        {
            await host.StartAsync();
            Assert.That(File.Exists(folder.Path), "opened at start");
            var store = host.Services.GetRequiredService<IBrokerStore>();
            store.SetRetained(Messages.Plain("via/host", "1"));
            await host.StopAsync();
            Assert.That(folder.Count("SELECT count(*) FROM retained"), Is.EqualTo(1));
        }
        Assert.That((await folder.Open().LoadAsync(CancellationToken.None)).Retained.Single().Topic, Is.EqualTo("via/host"));
    }
}

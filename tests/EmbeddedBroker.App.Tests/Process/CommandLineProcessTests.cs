namespace EmbeddedBroker.App.Tests.Process;

/// <summary>The built program's exit codes and messages for --help and for command lines that must not start.</summary>
public class CommandLineProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Help_lists_the_options_and_exits_0()
    {
        using var app = AppExecutable.Start("--help");

        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(0));
        Assert.That(app.StandardOutput, Does.Contain("--simulate").And.Contain("--port").And.Contain("record").And.Contain("Listeners__Mqtt__Port"));
    }

    [Test]
    public async Task Record_help_lists_the_record_options()
    {
        using var app = AppExecutable.Start("record", "--help");

        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(0));
        Assert.That(app.StandardOutput, Does.Contain("--broker").And.Contain("--share"));
    }

    [Test]
    public async Task Unknown_option_stops_start_up_with_exit_code_2_and_names_the_option()
    {
        using var app = AppExecutable.Start("--prot", "1884");

        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(2));
        Assert.That(app.StandardError, Does.Contain("'--prot' was not matched. Did you mean one of the following?").And.Contain("--port"));
    }

    [Test]
    public async Task Invalid_value_stops_start_up_with_exit_code_2_and_the_fix()
    {
        using var app = AppExecutable.Start("--format", "xml");

        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(2));
        Assert.That(app.StandardError, Does.Contain("--format 'xml' is not valid: use csv, json, jsonl, sqlite, postgres or both"));
    }

    [Test]
    public async Task Invalid_configuration_value_stops_start_up_with_exit_code_2_naming_the_key()
    {
        using var exports = new TempFolder();
        using var app = AppExecutable.Start([.. AppExecutable.BrokerArguments(FreePort.Next(), RecorderOutput.In(exports)), "--Simulator:IntervalSeconds", "-3"]);

        Assert.That(await app.WaitForExitAsync(Timeout), Is.EqualTo(2));
        Assert.That(app.StandardError, Does.Contain("Simulator:IntervalSeconds -3 is not valid"));
    }
}

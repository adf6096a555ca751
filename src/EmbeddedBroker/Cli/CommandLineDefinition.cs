using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace EmbeddedBroker.Cli;

/// <summary>
/// The System.CommandLine tree built from <see cref="CliCatalog"/>: the root command runs the broker, with the
/// subcommands record, healthcheck, passwd and replay. Every catalog option becomes a string option whose validator is
/// <see cref="OptionValueChecks"/>, so parsing, value checks, typo suggestions and --help come from one table.
/// </summary>
internal sealed class CommandLineDefinition
{
    private readonly Dictionary<Command, CliCommand> commands = [];
    private readonly List<(Option Option, CliOption Spec)> options = [];

    private CommandLineDefinition()
    {
        Root = new RootCommand("EmbeddedBroker: an MQTT broker (3.1, 3.1.1, 5.0) that records every message it accepts to CSV/JSON files, "
            + "with a live console (type q to stop cleanly), a sensor simulator and an HTTP API.");
        Register(Root, CliCommand.Serve);
        Root.Subcommands.Add(Register(new Command("record", "record the messages of another MQTT broker (e.g. an existing Mosquitto) into the same files, "
            + "reconnecting with back-off when that broker goes away"), CliCommand.Record));
        Root.Subcommands.Add(Register(new Command("healthcheck", "probe the local broker once (MQTT CONNECT and /healthz): exit 0 = healthy, 1 = not; "
            + "Docker's HEALTHCHECK"), CliCommand.HealthCheck));
        Root.Subcommands.Add(PasswordCommand());
        Root.Subcommands.Add(ReplayCommand());
        CustomizeHelp();
    }

    public RootCommand Root { get; }

    /// <summary>Response files (@file) are off: a topic or client id may start with '@'.</summary>
    public static ParserConfiguration ParserConfiguration { get; } = new() { ResponseFileTokenReplacer = null };

    public static CommandLineDefinition Create() => new();

    public CliCommand CommandOf(Command command) => commands.TryGetValue(command, out var known) ? known : CliCommand.Serve;

    /// <summary>The options of <paramref name="command"/> with their catalog entries.</summary>
    public IEnumerable<(Option Option, CliOption Spec)> OptionsOf(Command command) => options.Where(o => command.Options.Contains(o.Option));

    private Command Register(Command command, CliCommand which)
    {
        commands[command] = which;
        foreach (var spec in CliCatalog.For(which))
        {
            var option = Create(spec);
            command.Options.Add(option);
            options.Add((option, spec));
        }

        // Parsing only decides what to run; EmbeddedBrokerHost runs it (so tests parse without running anything).
        command.SetAction(_ => 0);
        return command;
    }

    private static Option Create(CliOption spec)
    {
        var name = spec.Names.OrderByDescending(n => n.Length).First();
        var aliases = spec.Names.Where(n => n != name).ToArray();
        var description = spec.Description + Environment.NewLine + Where(spec);
        if (!spec.TakesValue)
        {
            return new Option<bool>(name, aliases) { Description = description, Arity = ArgumentArity.Zero };
        }

        // Every value option may be repeated (one value per occurrence): a list collects them, any other option keeps
        // the last one, so a script can override an earlier word as it could before (`--bind 127.0.0.1 ... --bind localhost`).
        var option = new Option<string[]>(name, aliases)
        {
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
            Description = description,
            HelpName = spec.ValueName,
        };
        option.Validators.Add(result =>
        {
            // Arity allows no value so that the message can say which value is missing and give an example.
            var typed = result.IdentifierToken?.Value ?? name;
            if (result.Tokens.Count == 0)
            {
                result.AddError(OptionValueChecks.Missing(spec, typed));
                return;
            }

            foreach (var token in result.Tokens)
            {
                if (OptionValueChecks.Problem(spec, typed, token.Value) is { } problem)
                {
                    result.AddError(problem);
                }
            }
        });
        return option;
    }

    /// <summary>"config Listeners:Mqtt:Port, env Listeners__Mqtt__Port": the same setting in the other sources.</summary>
    private static string Where(CliOption spec) => spec.ConfigKey == CliCatalog.ConfigFileKey
        ? $"[env {CliCatalog.ConfigFileEnvironmentVariable}]"
        : $"[config {spec.ConfigKey}{(spec.IsList ? "[]" : "")}, env {CliCatalog.EnvironmentName(spec.ConfigKey)}{(spec.IsList ? "__0, __1, ..." : "")}]";

    /// <summary>
    /// `passwd` takes mosquitto_passwd's arguments, parsed by its own rules (PasswordFileEditor); it is declared here
    /// for --help and typo suggestions, and EmbeddedBrokerHost hands it the words after "passwd" untouched.
    /// </summary>
    private Command PasswordCommand()
    {
        var command = new Command("passwd", "manage a password file as mosquitto_passwd does: passwd [-c] [-b] [-D] [-U] [-H sha512|sha512-pbkdf2] [-I N] FILE [USER [PASSWORD]]")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore, Description = "mosquitto_passwd's options and arguments" });
        return Register(command, CliCommand.Passwd);
    }

    /// <summary>The recording replay publishes: its one argument, which sets <see cref="CliCatalog.ReplaySourceKey"/>.</summary>
    public Argument<string> ReplaySource { get; } = new("SOURCE")
    {
        Description = "the recording: a .csv, .json or .jsonl file (or its rotated .gz) or a .db (SQLite) the recorder wrote",
        Arity = ArgumentArity.ExactlyOne,
    };

    private Command ReplayCommand()
    {
        var command = new Command("replay", "publish a recording into a broker (this one or any other) with its recorded relative timing, "
            + "a progress bar and a summary; exit 0 = all sent, 1 = publish errors, 2 = bad input, 3 = broker unreachable");
        command.Arguments.Add(ReplaySource);
        return Register(command, CliCommand.Replay);
    }

    private void CustomizeHelp()
    {
        var help = Root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithConfigurationNotes((HelpAction)help.Action!);
    }
}

/// <summary>System.CommandLine's help, followed by where else each setting can be given (its layout is not public in 3.0).</summary>
internal sealed class HelpWithConfigurationNotes(HelpAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        help.MaxWidth = 120;
        var code = help.Invoke(parseResult);
        if (parseResult.CommandResult.Command.Name != "passwd")
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Configuration, lowest precedence first: config/appsettings.json next to the program < the -c file (or "
                + $"{CliCatalog.ConfigFileEnvironmentVariable}) < environment variables (Section__Key) < the command line.");
            output.WriteLine("Any setting can be given as --Section:Key VALUE (e.g. --Recorder:FlushIntervalMs 200). Reference: docs/cli.md.");
        }

        return code;
    }
}

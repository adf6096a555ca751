using System.Diagnostics;

namespace EmbeddedBroker.Security.Tests.Support;

/// <summary>Runs a third-party program (Debian's mosquitto_passwd, mosquitto_pub, openssl) to completion, bounded in time.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static string Require(string path)
    {
        if (!File.Exists(path))
        {
            Assert.Fail($"{path} is missing: install the Debian packages mosquitto and mosquitto-clients (scripts/test.sh does this).");
        }
        return path;
    }

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string? input = null, TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo(Require(program))
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish in time.");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}

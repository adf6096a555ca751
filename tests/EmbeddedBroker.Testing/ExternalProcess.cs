using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EmbeddedBroker.Testing;

/// <summary>
/// A program started by a test (mosquitto, mosquitto_sub, python3, the app itself). Output is captured; disposing
/// kills the whole process tree, so no test leaves a process behind whatever way it ends.
/// </summary>
public sealed class ExternalProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExternalProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public string FileName => process.StartInfo.FileName;

    public bool HasExited => process.HasExited;

    public string StandardOutput => Read(stdout);

    public string StandardError => Read(stderr);

    public static ExternalProcess Start(string fileName, params string[] arguments) => Start(fileName, arguments, stdin: null);

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="stdin"/>, when given, is written and closed at once.</summary>
    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, byte[]? stdin, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => Append(wrapper.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(wrapper.stderr, e.Data);
        process.Exited += (_, _) => wrapper.exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
        }

        return wrapper;
    }

    /// <summary>Runs to completion within <paramref name="timeout"/>; returns the exit code and output, or throws (after killing it) on timeout.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, string fileName, params string[] arguments)
    {
        using var started = Start(fileName, arguments);
        var code = await started.WaitForExitAsync(timeout);
        return (code, started.StandardOutput, started.StandardError);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await exited.Task.WaitAsync(cts.Token);
            process.WaitForExit(); // flushes the asynchronous output readers
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{FileName} did not exit within {timeout.TotalSeconds:0.#} s. {Describe()}");
        }
    }

    /// <summary>Waits until standard output contains <paramref name="text"/>; fails after the timeout, or as soon as the process exits without it.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Eventually.HoldsAsync(
            () =>
            {
                if (!Printed(text) && HasExited)
                {
                    process.WaitForExit(5000); // flushes the asynchronous output readers before the last look
                    if (!Printed(text))
                    {
                        Assert.Fail($"{FileName} exited without printing '{text}'. {Describe()}");
                    }
                }

                return Task.FromResult(Printed(text));
            },
            () => $"'{text}' is on the output of {FileName}. {Describe()}",
            timeout,
            TimeSpan.FromMilliseconds(20));

    /// <summary>SIGKILL to the whole tree: an abrupt end with no DISCONNECT, which is what triggers a last will.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM, for programs that must stop gracefully.</summary>
    public void Terminate()
    {
        if (!process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill?.WaitForExit(5000);
        }
    }

    private bool Printed(string text) => StandardOutput.Contains(text, StringComparison.Ordinal);

    /// <summary>What it printed so far, for failure messages.</summary>
    public string Describe() => $"stdout: {StandardOutput} stderr: {StandardError}";

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }
}

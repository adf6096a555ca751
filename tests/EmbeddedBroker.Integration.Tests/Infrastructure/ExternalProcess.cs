using System.Diagnostics;
using System.Text;

namespace EmbeddedBroker.Integration.Tests.Infrastructure;

/// <summary>
/// A third-party program (mosquitto_sub, python3, ...) started by a test. Output is captured; disposing kills the
/// whole process tree, so no test leaves a process behind whatever way it ends.
/// </summary>
internal sealed class ExternalProcess : IDisposable
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

    public bool HasExited => process.HasExited;

    public string StandardOutput
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public static ExternalProcess Start(string fileName, params string[] arguments) => Start(fileName, arguments, stdin: null);

    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, byte[]? stdin)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var wrapper = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.Append(wrapper.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(wrapper.stderr, e.Data);
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

    /// <summary>Runs to completion within <paramref name="timeout"/>; returns the exit code, or throws (after killing it) on timeout.</summary>
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
            throw new TimeoutException($"{process.StartInfo.FileName} did not exit within {timeout.TotalSeconds:0.#} s. stdout: {StandardOutput} stderr: {StandardError}");
        }
    }

    /// <summary>Waits until standard output contains <paramref name="text"/> (or fails after the timeout).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!StandardOutput.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{text}' not seen on the output of {process.StartInfo.FileName} within {timeout.TotalSeconds:0.#} s. stdout: {StandardOutput} stderr: {StandardError}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>SIGKILL: an abrupt end with no DISCONNECT, which is what triggers a last will.</summary>
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
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill?.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
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

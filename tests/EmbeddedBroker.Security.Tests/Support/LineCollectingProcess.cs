using System.Collections.Concurrent;
using System.Diagnostics;

namespace EmbeddedBroker.Security.Tests.Support;

/// <summary>A long-running third-party client (mosquitto_sub) whose output lines are collected as they come; killed on dispose.</summary>
internal sealed class LineCollectingProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private LineCollectingProcess(Process process) => _process = process;

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Starts <paramref name="program"/> line-buffered (stdbuf -oL), so that each line arrives when printed.</summary>
    public static LineCollectingProcess Start(string program, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("/usr/bin/stdbuf")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        startInfo.ArgumentList.Add("-oL");
        startInfo.ArgumentList.Add(ExternalTool.Require(program));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        var process = Process.Start(startInfo)!;
        var collector = new LineCollectingProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) collector._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) collector._lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return collector;
    }

    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_lines.FirstOrDefault(predicate) is { } line)
            {
                return line;
            }
            await Task.Delay(20);
        }
        Assert.Fail($"no expected line within {timeout}; got: {string.Join(" | ", _lines)}");
        return "";
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}

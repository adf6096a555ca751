using System.Text;
using EmbeddedBroker.Client;
using EmbeddedBroker.Protocol;

namespace EmbeddedBroker.Bridges.Tests.Support;

/// <summary>Reads the retained $SYS topics under a filter from a broker (what a monitoring client sees).</summary>
internal static class SysTopics
{
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(int port, string filter, TimeSpan wait)
    {
        await using var client = await MqttClient.ConnectAsync(new MqttClientOptions { Port = port, ClientId = $"sys-reader-{Guid.NewGuid():N}" });
        await client.SubscribeAsync((filter, MqttQualityOfService.AtMostOnce));
        var values = new Dictionary<string, string>();
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await foreach (var message in client.Messages.ReadAllAsync(timeout.Token))
            {
                values[message.Topic] = Encoding.UTF8.GetString(message.Payload.Span);
            }
        }
        catch (OperationCanceledException)
        {
            // Read for the time given.
        }

        return values;
    }

    public static string Describe(IReadOnlyDictionary<string, string> values) => string.Join("; ", values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
}

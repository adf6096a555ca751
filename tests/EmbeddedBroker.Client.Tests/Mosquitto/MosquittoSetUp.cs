namespace EmbeddedBroker.Client.Tests.Mosquitto;

/// <summary>One mosquitto for every test of this namespace; tests are ignored when it is not installed (CI installs it).</summary>
[SetUpFixture]
public sealed class MosquittoSetUp
{
    public static MosquittoBroker? Broker { get; private set; }

    [OneTimeSetUp]
    public async Task StartMosquitto()
    {
        if (MosquittoBroker.IsInstalled)
        {
            Broker = await MosquittoBroker.StartAsync();
        }
    }

    [OneTimeTearDown]
    public void StopMosquitto()
    {
        Broker?.Dispose();
        Broker = null;
    }
}

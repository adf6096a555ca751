namespace EmbeddedBroker.Recorder.Tests.Support;

/// <summary>Base for fixtures whose every test writes into its own fresh temporary folder, deleted afterwards.</summary>
public abstract class TempDirectoryFixture
{
    private TempDirectory? temp;

    internal TempDirectory Temp => temp ?? throw new InvalidOperationException("SetUp has not run");

    [SetUp]
    public void CreateTempDirectory() => temp = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory() => temp?.Dispose();
}

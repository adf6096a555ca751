namespace EmbeddedBroker.Testing;

/// <summary>Base for fixtures whose every test writes into its own fresh temporary folder, deleted afterwards.</summary>
public abstract class TempFolderFixture
{
    private TempFolder? temp;

    public TempFolder Temp => temp ?? throw new InvalidOperationException("SetUp has not run");

    [SetUp]
    public void CreateTempFolder() => temp = new TempFolder();

    [TearDown]
    public void DeleteTempFolder()
    {
        temp?.Dispose();
        temp = null;
    }
}

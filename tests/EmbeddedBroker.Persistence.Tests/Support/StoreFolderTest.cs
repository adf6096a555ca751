namespace EmbeddedBroker.Persistence.Tests.Support;

/// <summary>A test class whose tests each get a fresh <see cref="StoreFolder"/>, removed with its stores afterwards.</summary>
public abstract class StoreFolderTest
{
    internal StoreFolder Folder { get; private set; } = null!;

    [SetUp]
    public void CreateFolder() => Folder = new StoreFolder();

    [TearDown]
    public async Task RemoveFolder() => await Folder.DisposeAsync();
}

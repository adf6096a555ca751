using System.Diagnostics;
using EmbeddedBroker.Persistence.Tests.Support;

namespace EmbeddedBroker.Persistence.Tests;

/// <summary>A store file that cannot be used is moved aside and the broker starts empty, quickly, saying where it went.</summary>
public sealed class DamagedFileTests : StoreFolderTest
{
    private static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(5);
    private async Task WriteValidStoreAsync(int retained)
    {
        var store = Folder.Open();
        await store.LoadAsync(CancellationToken.None);
        for (var i = 0; i < retained; i++) store.SetRetained(Messages.Plain($"r/{i}", new string('x', 200)));
        await store.DisposeAsync();
    }

    /// <summary>Starts a store on the damaged file: it must load empty within the budget, have moved the file aside
    /// (label in its name), log both paths, and work afterwards.</summary>
    private async Task AssertMovedAsideAndStartsEmptyAsync(string label, byte[] damagedContent)
    {
        var clock = Stopwatch.StartNew();
        var store = Folder.Open();
        var state = await store.LoadAsync(CancellationToken.None);
        Assert.That(clock.Elapsed, Is.LessThan(StartBudget));
        Assert.That(state.Retained, Is.Empty);
        Assert.That(state.Sessions, Is.Empty);

        var moved = Folder.MovedAsideFiles(label).Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).ToArray();
        Assert.That(moved, Has.Length.EqualTo(1));
        Assert.That(moved[0], Does.Match($@"^broker\.db\.{label}-\d{{8}}T\d{{6}}Z$"));
        Assert.That(File.ReadAllBytes(Path.Combine(Folder.Directory, moved[0])), Is.EqualTo(damagedContent), "moved, not rewritten");
        Assert.That(store.Statistics.MovedAsidePath, Is.EqualTo(Path.Combine(Folder.Directory, moved[0])));
        var warning = Folder.Log.At(Microsoft.Extensions.Logging.LogLevel.Warning).Single(l => l.Contains("moved it aside", StringComparison.Ordinal));
        Assert.That(warning, Does.Contain(Folder.Path).And.Contain(moved[0]));

        store.SetRetained(Messages.Plain("after", "repair"));
        await store.DisposeAsync();
        Assert.That((await Folder.Open().LoadAsync(CancellationToken.None)).Retained.Single().Topic, Is.EqualTo("after"));
    }

    [Test]
    public async Task Truncated_file_is_moved_aside_and_the_store_starts_empty_within_5_seconds()
    {
        await WriteValidStoreAsync(retained: 2_000);
        var bytes = File.ReadAllBytes(Folder.Path);
        var truncated = bytes[..(bytes.Length / 2)];
        File.WriteAllBytes(Folder.Path, truncated);
        await AssertMovedAsideAndStartsEmptyAsync("damaged", truncated);
    }

    [Test]
    public async Task Overwritten_file_is_moved_aside_with_its_wal_and_the_store_starts_empty_within_5_seconds()
    {
        await WriteValidStoreAsync(retained: 100);
        var garbage = new byte[64 * 1024];
        new Random(11).NextBytes(garbage);
        File.WriteAllBytes(Folder.Path, garbage);
        File.WriteAllBytes(Folder.Path + "-wal", [1, 2, 3]);
        await AssertMovedAsideAndStartsEmptyAsync("damaged", garbage);
        Assert.That(Folder.MovedAsideFiles("damaged").Count(f => f.EndsWith("-wal", StringComparison.Ordinal)), Is.EqualTo(1),
            "the log moved beside it, under the moved name + \"-wal\"");
    }

    [Test]
    public async Task File_with_a_damaged_page_fails_quick_check_and_is_moved_aside()
    {
        await WriteValidStoreAsync(retained: 2_000);
        var bytes = File.ReadAllBytes(Folder.Path);
        Array.Clear(bytes, 8192, 4096);
        File.WriteAllBytes(Folder.Path, bytes);
        await AssertMovedAsideAndStartsEmptyAsync("damaged", bytes);
    }

    [Test]
    public async Task SQLite_database_that_is_not_a_broker_store_is_moved_aside()
    {
        Folder.Execute("CREATE TABLE someone_elses (x); INSERT INTO someone_elses VALUES (1);");
        await AssertMovedAsideAndStartsEmptyAsync("damaged", File.ReadAllBytes(Folder.Path));
    }

    [Test]
    public async Task Store_from_a_newer_schema_version_is_moved_aside_as_newer()
    {
        await WriteValidStoreAsync(retained: 1);
        Folder.Execute("UPDATE schema_version SET version = 99; PRAGMA wal_checkpoint(TRUNCATE);");
        await AssertMovedAsideAndStartsEmptyAsync("newer", File.ReadAllBytes(Folder.Path));
    }

    [Test]
    public async Task Store_with_a_row_it_cannot_read_is_moved_aside()
    {
        await WriteValidStoreAsync(retained: 1);
        Folder.Execute("UPDATE retained SET user_properties = 'not json'; PRAGMA wal_checkpoint(TRUNCATE);");
        await AssertMovedAsideAndStartsEmptyAsync("damaged", File.ReadAllBytes(Folder.Path));
    }

    [Test]
    public async Task Empty_file_is_a_new_store_not_damage()
    {
        File.WriteAllBytes(Folder.Path, []);
        var state = await Folder.Open().LoadAsync(CancellationToken.None);
        Assert.That(state.Retained, Is.Empty);
        Assert.That(Folder.MovedAsideFiles("damaged"), Is.Empty);
    }
}

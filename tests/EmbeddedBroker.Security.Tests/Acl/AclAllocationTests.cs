using EmbeddedBroker.Security.Acl;
using EmbeddedBroker.Security.Tests.Support;

namespace EmbeddedBroker.Security.Tests.Acl;

/// <summary>The per-delivery check is on the publish hot path: once a client's rules are built it allocates nothing,
/// whether the answer comes from the cache or from the rule trees (cache full).</summary>
public class AclAllocationTests
{
    [Test]
    public void Delivery_checks_allocate_nothing_once_warm_from_the_cache_or_from_the_rule_trees()
    {
        using var directory = new TempDirectory();
        var rules = string.Join('\n', Enumerable.Range(0, 1000).Select(i => $"user u{i % 50}\ntopic read site/{i}/#\ntopic deny site/{i}/private/#"));
        var path = directory.Write("acl", rules + "\npattern readwrite devices/%c/#\n");
        var acl = new AclAuthorizer(new SecurityOptions { Default = { AclFile = path }, Acl = { MaximumCachedTopicsPerClient = 16 } });
        var subscriber = Clients.Identity("dev1", "u7");
        var messages = Enumerable.Range(0, 64).Select(i => Clients.Message(i % 2 == 0 ? $"site/{(i * 50 + 7) % 1000}/temp" : $"devices/dev1/{i}")).ToArray();
        foreach (var message in messages)
        {
            acl.MayDeliver(subscriber, message); // builds the client's rules and fills its cache (16 of the 64 topics)
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var delivered = 0;
        for (var n = 0; n < 10_000; n++)
        {
            delivered += acl.MayDeliver(subscriber, messages[n % messages.Length]) ? 1 : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(delivered, Is.EqualTo(10_000));
        Assert.That(allocated, Is.Zero);
    }
}

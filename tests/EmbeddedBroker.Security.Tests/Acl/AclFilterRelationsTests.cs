using EmbeddedBroker.Security.Acl;

namespace EmbeddedBroker.Security.Tests.Acl;

public class AclFilterRelationsTests
{
    [TestCase("#", "a/b", true)]
    [TestCase("a/#", "a", true)]
    [TestCase("a/+", "+/b", true)]
    [TestCase("a/b", "a/c", false)]
    [TestCase("a/b", "a/b/c", false)]
    [TestCase("#", "$SYS/#", false)]
    [TestCase("+/x", "$SYS/x", false)]
    [TestCase("$SYS/#", "$SYS/broker/+", true)]
    [TestCase("a/+/c", "a/b/#", true)]
    public void Two_filters_overlap_when_some_topic_matches_both(string first, string second, bool expected)
    {
        Assert.That(AclFilterRelations.Overlap(first, second), Is.EqualTo(expected));
        Assert.That(AclFilterRelations.Overlap(second, first), Is.EqualTo(expected));
    }

    [TestCase("#", "a/b/#", true)]
    [TestCase("#", "$SYS/#", false)]
    [TestCase("a/#", "a", true)]
    [TestCase("a/#", "a/+/c", true)]
    [TestCase("a/+", "a/b", true)]
    [TestCase("a/+", "a/#", false)]
    [TestCase("a/b", "a/+", false)]
    [TestCase("+", "$SYS", false)]
    [TestCase("a/b", "a/b", true)]
    [TestCase("a/b", "a/b/c", false)]
    public void A_filter_covers_another_when_it_matches_every_topic_the_other_does(string outer, string inner, bool expected)
    {
        Assert.That(AclFilterRelations.Covers(outer, inner), Is.EqualTo(expected));
    }
}

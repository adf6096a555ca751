using EmbeddedBroker.Security.Acl;

namespace EmbeddedBroker.Security.Tests.Acl;

public class AclFileTests
{
    private const string Sample = """
        # anonymous clients
        topic read public/#
        topic  deny  public/private/#

        user alice
        topic readwrite alice/#
        pattern write clients/%c/status
        topic a/b
        user bob smith
        topic read  rooms/living room/temp  
        user alice
        topic write shared/x
        """;

    [Test]
    public void Topic_lines_go_to_anonymous_until_the_first_user_line_then_to_that_user_and_patterns_to_everyone()
    {
        var file = AclFile.Parse(Sample, "acl");
        Assert.That(file.AnonymousRules, Is.EqualTo(new[]
        {
            new AclRule(AclAccess.Read, "public/#", 2),
            new AclRule(AclAccess.Deny, "public/private/#", 3),
        }));
        Assert.That(file.UserRules["alice"], Is.EqualTo(new[]
        {
            new AclRule(AclAccess.ReadWrite, "alice/#", 6),
            new AclRule(AclAccess.ReadWrite, "a/b", 8),
            new AclRule(AclAccess.Write, "shared/x", 12),
        }), "no access word means readwrite; a repeated user line adds to the same user");
        Assert.That(file.UserRules["bob smith"], Is.EqualTo(new[] { new AclRule(AclAccess.Read, "rooms/living room/temp", 10) }),
            "the rest of a user line is the name and the rest of a topic line after the access word is the filter, spaces included");
        Assert.That(file.Patterns, Is.EqualTo(new[] { new AclRule(AclAccess.Write, "clients/%c/status", 7) }));
        Assert.That(file.Warnings, Is.Empty);
        Assert.That(file.RuleCount, Is.EqualTo(7));
    }

    [Test]
    public void Lines_that_parse_but_likely_mean_something_else_are_warned_about()
    {
        var file = AclFile.Parse("topic read\npattern write fixed/topic\n", "acl");
        Assert.That(file.AnonymousRules, Is.EqualTo(new[] { new AclRule(AclAccess.ReadWrite, "read", 1) }), "Mosquitto reads it as the topic 'read'");
        Assert.That(file.Warnings, Is.EqualTo(new[]
        {
            "acl:1: 'topic read' grants read and write on a topic named 'read' (as in Mosquitto); write 'topic read FILTER' to give that access to a filter",
            "acl:2: pattern 'fixed/topic' contains neither %c nor %u: it applies to every client alike",
        }));
    }

    [TestCase("topic", "acl:1: 'topic' needs a topic filter: topic [read|write|readwrite|deny] FILTER")]
    [TestCase("# c\npattern   ", "acl:2: 'pattern' needs a topic filter")]
    [TestCase("topic rw a/b", "acl:1: unknown access 'rw' in 'topic rw a/b'; use read, write, readwrite or deny before the filter")]
    [TestCase("topic Read a/b", "acl:1: unknown access 'Read'")]
    [TestCase("topic read a/#/b", "acl:1: 'a/#/b' is not a valid topic filter: '+' and '#' must fill a whole level and '#' must be the last level")]
    [TestCase("pattern read a/%c+", "acl:1: 'a/%c+' is not a valid topic filter")]
    [TestCase("user", "acl:1: 'user' needs a user name: user NAME")]
    [TestCase("user   \t ", "acl:1: 'user' needs a user name")]
    [TestCase("users alice", "acl:1: unknown keyword 'users'; an ACL line is 'user NAME', 'topic [read|write|readwrite|deny] FILTER'")]
    [TestCase("Topic read a", "acl:1: unknown keyword 'Topic'")]
    [TestCase("  # indented", "acl:1: a comment must have '#' in the first column (Mosquitto refuses an indented comment too)")]
    [TestCase("topic\tread\ta/b", "acl:1: 'topic\tread\ta/b': separate the words with spaces, not tabs")]
    public void A_line_mosquitto_refuses_stops_the_load_with_file_line_and_the_fix(string text, string expected)
    {
        var error = Assert.Throws<SecurityFileException>(() => AclFile.Parse(text, "acl"))!;
        Assert.That(error.Message, Does.StartWith(expected));
    }

    [Test]
    public void A_missing_acl_file_names_the_file_and_the_fix()
    {
        var error = Assert.Throws<SecurityFileException>(() => AclFile.Load("/nonexistent/acl"))!;
        Assert.That(error.Message, Does.StartWith("/nonexistent/acl: cannot read the ACL file: ").And.EndWith("Create it, or correct acl_file."));
    }

    [Test]
    public void Comments_blank_lines_crlf_and_leading_spaces_before_keywords_are_accepted()
    {
        var file = AclFile.Parse("#c\r\n\r\n   \r\n   topic read a\r\n", "acl");
        Assert.That(file.AnonymousRules, Is.EqualTo(new[] { new AclRule(AclAccess.Read, "a", 4) }));
    }
}

using System.Text;
using EmbeddedBroker.Configuration.Mosquitto;

namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>How lines are read: Mosquitto 2.0.11's src/conf.c and mosquitto.conf(5) "FILE FORMAT".</summary>
public class LineSyntaxTests : MosquittoConfFixture
{
    [Test]
    public void Comment_lines_blank_lines_and_trailing_blanks_are_skipped()
    {
        var values = Values(
            "# a comment",
            "",
            "#listener 1",
            "listener 1883   ",
            "   ",
            "allow_anonymous true\t",
            "#");

        Assert.That(values["Listeners:Endpoints:0:Port"], Is.EqualTo("1883"));
        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
    }

    [Test]
    public void Leading_blanks_before_a_key_are_skipped_as_Mosquitto_does()
    {
        Assert.That(Values("  listener 1883", "   allow_anonymous true")["Listeners:Endpoints:0:Port"], Is.EqualTo("1883"));
    }

    [Test]
    public void Windows_line_endings_and_a_byte_order_mark_are_accepted()
    {
        var path = Temp.Combine("crlf.conf");
        File.WriteAllText(path, "listener 1883\r\nallow_anonymous true\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var values = MosquittoConfigurationReader.Read(path).Values;

        Assert.That(values["Listeners:Endpoints:0:Port"], Is.EqualTo("1883"));
        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
    }

    [Test]
    public void Several_spaces_between_words_count_as_one()
    {
        Assert.That(Values("listener   1884    127.0.0.1")["Listeners:Endpoints:0:Address"], Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public void A_comment_after_a_one_word_value_is_ignored_as_in_Mosquitto()
    {
        var values = Values("listener 1883 # plain MQTT", "allow_anonymous true # for the sensors", "sys_interval 5 # seconds");

        Assert.That(values["Listeners:Endpoints:0:Address"], Is.EqualTo("0.0.0.0"));
        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
        Assert.That(values["Broker:SysInterval"], Is.EqualTo("00:00:05"));
    }

    [Test]
    public void A_comment_after_a_path_is_refused_because_Mosquitto_makes_it_part_of_the_path()
    {
        Assert.That(Refusal("listener 1883", "password_file /etc/mosquitto/passwd # users"),
            Is.EqualTo("mosquitto.conf:2: password_file: '/etc/mosquitto/passwd # users' has a comment after the value, which Mosquitto reads as part of the value; put the comment on a line of its own (starting with #)"));
    }

    [Test]
    public void An_indented_comment_is_refused_as_Mosquitto_refuses_it()
    {
        Assert.That(Refusal("listener 1883", "  # indented"),
            Is.EqualTo("mosquitto.conf:2: #: a comment must have its '#' in the first column (Mosquitto reads an indented '#' as an unknown key); remove the blanks before the '#'"));
    }

    [Test]
    public void A_tab_between_key_and_value_is_refused_as_Mosquitto_reports_an_unknown_key()
    {
        Assert.That(Refusal("listener\t1883"),
            Is.EqualTo("mosquitto.conf:1: listener: the key is followed by a tab (Mosquitto separates words with spaces only and reports an unknown key); put a space between the key and its value"));
    }

    [Test]
    public void A_line_indented_with_a_tab_is_refused_as_Mosquitto_reports_an_unknown_key()
    {
        Assert.That(Refusal("listener 1883", "\tallow_anonymous true"),
            Is.EqualTo("mosquitto.conf:2: allow_anonymous: the line starts with a tab (Mosquitto reads the tab as part of the key and reports an unknown key); indent with spaces, or not at all"));
    }

    [Test]
    public void A_folder_given_as_the_file_is_refused()
    {
        var error = Assert.Throws<MosquittoConfigurationException>(() => MosquittoConfigurationReader.Read(Temp.Path))!;

        Assert.That(error.Message, Is.EqualTo($"{Temp.Path}: is a folder; give the path of the mosquitto.conf file."));
    }

    [Test]
    public void A_word_after_a_one_word_value_is_refused_instead_of_ignored()
    {
        Assert.That(Refusal("listener 1883", "allow_anonymous true false"),
            Is.EqualTo("mosquitto.conf:2: allow_anonymous: unexpected 'false' after the value; write `allow_anonymous true|false` (Mosquitto reads one value here and ignores the rest)"));
    }

    [TestCase("allow_anonymous 1", "true")]
    [TestCase("allow_anonymous 0", "false")]
    [TestCase("allow_anonymous false", "false")]
    public void Booleans_are_true_false_1_or_0(string line, string expected)
    {
        Assert.That(Values("listener 1883", line)["Security:Default:AllowAnonymous"], Is.EqualTo(expected));
    }

    [TestCase("allow_anonymous yes", "mosquitto.conf:2: allow_anonymous: 'yes' is not a boolean; use true or false")]
    [TestCase("allow_anonymous True", "mosquitto.conf:2: allow_anonymous: 'True' is not a boolean; use true or false")]
    [TestCase("allow_anonymous", "mosquitto.conf:2: allow_anonymous: no value; write `allow_anonymous true|false`")]
    public void Anything_else_is_not_a_boolean(string line, string expected)
    {
        Assert.That(Refusal("listener 1883", line), Is.EqualTo(expected));
    }

    [TestCase("max_queued_messages abc", "mosquitto.conf:2: max_queued_messages: 'abc' is not a whole number;")]
    [TestCase("max_queued_messages 12abc", "mosquitto.conf:2: max_queued_messages: '12abc' is not a whole number;")]
    [TestCase("sys_interval -1", "mosquitto.conf:2: sys_interval: -1 is out of range; use 0 (no $SYS topics) .. 65535 seconds")]
    public void Numbers_must_be_whole_numbers_in_range_where_Mosquitto_would_read_garbage_as_0(string line, string expected)
    {
        Assert.That(Refusal("listener 1883", line), Does.StartWith(expected));
    }

    [Test]
    public void A_string_value_given_twice_is_refused_as_Mosquitto_refuses_a_duplicate()
    {
        Assert.That(Refusal("listener 1883", "acl_file a.acl", "acl_file b.acl"),
            Is.EqualTo("mosquitto.conf:3: acl_file: given twice (first at mosquitto.conf:2, as acl_file); Mosquitto refuses a duplicate value; keep one of the two lines"));
    }

    [Test]
    public void A_number_or_boolean_given_twice_takes_the_last_value_as_in_Mosquitto()
    {
        var values = Values("listener 1883", "max_inflight_messages 10", "allow_anonymous false", "max_inflight_messages 30", "allow_anonymous true");

        Assert.That(values["Broker:MaximumInflightPerClient"], Is.EqualTo("30"));
        Assert.That(values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
    }

    [Test]
    public void A_file_that_is_not_UTF_8_is_refused_with_its_line()
    {
        var path = Temp.Combine("latin1.conf");
        File.WriteAllBytes(path, [.. "listener 1883\npassword_file caf"u8, 0xE9, .. "\n"u8]);

        var error = Assert.Throws<MosquittoConfigurationException>(() => MosquittoConfigurationReader.Read(path))!;

        Assert.That(error.Message, Is.EqualTo($"{path}:2: the line is not valid UTF-8; save the file as UTF-8."));
    }

    [Test]
    public void A_missing_file_is_refused_with_its_name()
    {
        var path = Temp.Combine("nope.conf");

        var error = Assert.Throws<MosquittoConfigurationException>(() => MosquittoConfigurationReader.Read(path))!;

        Assert.That(error.Message, Is.EqualTo($"{path}: the file does not exist; check the path given to -c (or include_dir)."));
    }

    [Test]
    public void An_empty_file_is_Mosquittos_local_only_mode()
    {
        var read = Read("");

        Assert.That(Section(read.Values, "Listeners:Endpoints:0"), Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["Name"] = "default",
            ["Port"] = "1883",
            ["Address"] = "localhost",
            ["Protocol"] = "mqtt",
        }));
        Assert.That(read.Values["Security:Default:AllowAnonymous"], Is.EqualTo("true"));
        Assert.That(read.Warnings, Has.One.Contains("local-only mode"));
    }
}

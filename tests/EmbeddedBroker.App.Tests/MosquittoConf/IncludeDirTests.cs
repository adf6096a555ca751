namespace EmbeddedBroker.App.Tests.MosquittoConf;

/// <summary>include_dir, as mosquitto.conf(5) describes it and Mosquitto 2.0.11 does it.</summary>
public class IncludeDirTests : MosquittoConfFixture
{
    [Test]
    public void Files_ending_in_conf_are_read_in_Mosquittos_documented_order()
    {
        // mosquitto.conf(5): given b.conf, A.conf, 01.conf, a.conf, B.conf and 00.conf the order is
        // 00.conf, 01.conf, A.conf, a.conf, B.conf, b.conf.
        foreach (var (name, port) in new[] { ("b.conf", 6), ("A.conf", 3), ("01.conf", 2), ("a.conf", 4), ("B.conf", 5), ("00.conf", 1) })
        {
            Write($"conf.d/{name}", $"listener {1880 + port}");
        }

        Write("conf.d/notes.txt", "this is not read");
        Write("conf.d/.conf", "neither is this (Mosquitto needs a name before .conf)");

        var read = Read("include_dir conf.d");

        var ports = Enumerable.Range(0, 6).Select(i => read.Values[$"Listeners:Endpoints:{i}:Port"]);
        Assert.That(ports, Is.EqualTo(new[] { "1881", "1882", "1883", "1884", "1885", "1886" }));
        Assert.That(read.Files.Skip(1).Select(Path.GetFileName), Is.EqualTo(new[] { "00.conf", "01.conf", "A.conf", "a.conf", "B.conf", "b.conf" }));
    }

    [Test]
    public void Included_files_are_read_where_include_dir_stands()
    {
        Write("conf.d/tls.conf", "listener 8883", "certfile s.crt", "keyfile s.key");

        var values = Values("listener 1883", "include_dir conf.d", "listener 9001", "protocol websockets", "allow_anonymous true");

        Assert.That(values["Listeners:Endpoints:0:Port"], Is.EqualTo("1883"));
        Assert.That(values["Listeners:Endpoints:1:Port"], Is.EqualTo("8883"));
        Assert.That(values["Listeners:Endpoints:2:Port"], Is.EqualTo("9001"));
        Assert.That(values["Listeners:Endpoints:1:Tls:CertFile"], Is.EqualTo(InFolder("s.crt")), "paths are taken from the main file's folder");
    }

    [Test]
    public void After_an_include_the_main_file_continues_with_its_own_current_listener()
    {
        Write("conf.d/extra.conf", "listener 1884");

        var values = Values("listener 9001", "include_dir conf.d", "protocol websockets");

        Assert.That(values["Listeners:Endpoints:0:Protocol"], Is.EqualTo("websockets"));
        Assert.That(values["Listeners:Endpoints:1:Protocol"], Is.EqualTo("mqtt"));
    }

    [Test]
    public void An_included_file_starts_outside_any_listener_as_in_Mosquitto()
    {
        // Mosquitto 2.0.11 applies such a line to its default listener and opens port 1883 for it.
        Write("conf.d/tls.conf", "certfile s.crt");

        Assert.That(Refusal("listener 8883", "include_dir conf.d"), Does.StartWith(
            "conf.d/tls.conf:1: certfile: comes before any `listener` line of its file, so Mosquitto applies it to its default listener (port 1883)"));
    }

    [Test]
    public void An_included_file_starts_outside_any_bridge_as_in_Mosquitto()
    {
        Write("conf.d/topics.conf", "topic sensors/# out 1");

        Assert.That(Refusal("listener 1883", "connection central", "address central.example.com", "include_dir conf.d"),
            Is.EqualTo("conf.d/topics.conf:1: topic: is a bridge option, but no `connection NAME` line comes before it in this file (each included file starts outside any bridge); put it after the `connection` line of its bridge"));
    }

    [Test]
    public void An_error_in_an_included_file_names_that_file_and_line()
    {
        Write("conf.d/a.conf", "# first line", "allow_anonymus true");

        Assert.That(Refusal("listener 1883", "include_dir conf.d"),
            Is.EqualTo("conf.d/a.conf:2: allow_anonymus: not a Mosquitto 2.0 configuration key; did you mean allow_anonymous? (keys are lower case)"));
    }

    [Test]
    public void Include_dir_in_an_included_file_is_refused_where_Mosquitto_skips_it_silently()
    {
        Write("conf.d/a.conf", "include_dir more.d");
        Directory.CreateDirectory(Temp.Combine("more.d"));

        Assert.That(Refusal("listener 1883", "include_dir conf.d"),
            Is.EqualTo("conf.d/a.conf:1: include_dir: is read from the main configuration file only (Mosquitto ignores it in an included file); move the line to the main file"));
    }

    [Test]
    public void A_missing_include_dir_is_refused()
    {
        Assert.That(Refusal("listener 1883", "include_dir nope.d"),
            Is.EqualTo("mosquitto.conf:2: include_dir: the folder nope.d does not exist; create it or correct the path (a relative path starts at the main file's folder)"));
    }

    [Test]
    public void Include_dir_may_be_given_several_times_each_read_completely_in_turn()
    {
        Write("one.d/B.conf", "listener 1882");
        Write("one.d/C.conf", "listener 1883");
        Write("two.d/A.conf", "listener 1881");

        var values = Values("include_dir one.d", "include_dir two.d");

        Assert.That(new[] { 0, 1, 2 }.Select(i => values[$"Listeners:Endpoints:{i}:Port"]), Is.EqualTo(new[] { "1882", "1883", "1881" }));
    }

    [Test]
    public void An_include_dir_holding_the_main_file_is_refused_as_Mosquitto_forbids_it()
    {
        Assert.That(Refusal("listener 1883", "include_dir ."),
            Is.EqualTo("mosquitto.conf:2: include_dir: the folder holds the main configuration file mosquitto.conf (Mosquitto forbids this); move the main file out of that folder"));
    }

    [Test]
    public void A_string_option_of_the_main_file_repeated_in_an_included_file_is_a_duplicate()
    {
        Write("conf.d/store.conf", "persistence_location /srv/other");

        Assert.That(Refusal("persistence_location /srv/store", "include_dir conf.d"),
            Is.EqualTo("conf.d/store.conf:1: persistence_location: given twice (first at mosquitto.conf:1, as persistence_location); Mosquitto refuses a duplicate value; keep one of the two lines"));
    }
}

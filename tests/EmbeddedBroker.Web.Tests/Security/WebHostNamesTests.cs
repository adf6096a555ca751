using EmbeddedBroker.Hosting;
using EmbeddedBroker.Hosting.Endpoints;
using EmbeddedBroker.Web.Options;
using EmbeddedBroker.Web.Security;

namespace EmbeddedBroker.Web.Tests.Security;

/// <summary>Which Host names the web listener answers by default, from where it listens.</summary>
[TestFixture]
public sealed class WebHostNamesTests
{
    [TestCase("127.0.0.1", "localhost;127.0.0.1;[::1]")]
    [TestCase("::1", "localhost;127.0.0.1;[::1]")]
    [TestCase("localhost", "localhost;127.0.0.1;[::1]")]
    [TestCase("0.0.0.0", "*")]
    public void Default_allows_loopback_names_only_when_the_web_listener_binds_loopback_only(string address, string expected)
    {
        var allowed = WebHostNames.Allowed(new WebOptions(), new WebSocketListenerOptions { Address = address }, new HttpListenerOptions(), new ListenerOptions());

        Assert.That(string.Join(';', allowed), Is.EqualTo(expected));
    }

    [Test]
    public void A_websockets_endpoint_on_every_interface_opens_the_default_to_any_name()
    {
        var listeners = new ListenerOptions();
        listeners.Endpoints.Add(new EndpointOptions { Port = 9002, Address = "0.0.0.0", Protocol = EndpointOptions.WebSockets });

        var allowed = WebHostNames.Allowed(new WebOptions(), new WebSocketListenerOptions { Address = "127.0.0.1" }, new HttpListenerOptions(), listeners);

        Assert.That(allowed, Is.EqualTo(new[] { "*" }));
    }

    [Test]
    public void Configured_allowed_hosts_are_taken_as_written_separated_by_semicolons()
    {
        var web = new WebOptions { AllowedHosts = "broker.lan; *.example.com" };

        var allowed = WebHostNames.Allowed(web, new WebSocketListenerOptions { Address = "0.0.0.0" }, new HttpListenerOptions(), new ListenerOptions());

        Assert.That(allowed, Is.EqualTo(new[] { "broker.lan", "*.example.com" }));
    }
}

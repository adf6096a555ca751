using System.Net;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.Pages;

/// <summary>The dashboard and the sample pages are served by the app itself, with MQTT.js from the app (never a CDN).</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class PagesTests
{
    private WebBroker broker = null!;

    [OneTimeSetUp]
    public async Task StartBroker() => broker = await WebBroker.StartAsync();

    [OneTimeTearDown]
    public async Task StopBroker() => await broker.DisposeAsync();

    [Test]
    public async Task Root_redirects_to_the_dashboard()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = broker.Http.BaseAddress };

        using var response = await noRedirect.GetAsync(new Uri("/", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/dashboard/"));
    }

    [TestCase("/dashboard/", "text/html", "EmbeddedBroker dashboard")]
    [TestCase("/dashboard/dashboard.js", "text/javascript", "textContent")]
    [TestCase("/dashboard/vendor/mqtt.min.js", "text/javascript", "mqtt")]
    [TestCase("/samples/", "text/html", "vote.html")]
    [TestCase("/samples/vote.html", "text/html", "vote(")]
    [TestCase("/samples/results.html", "text/html", "textContent")]
    [TestCase("/samples/vendor/mqtt.min.js", "text/javascript", "mqtt")]
    public async Task Page_is_served_with_its_content_type(string path, string mediaType, string expectedText)
    {
        using var response = await broker.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(expectedText));
    }

    [TestCase("/dashboard/index.html")]
    [TestCase("/dashboard/dashboard.js")]
    [TestCase("/samples/vote.html")]
    [TestCase("/samples/results.html")]
    [TestCase("/samples/broker-url.js")]
    public async Task Page_never_writes_markup_from_data_and_loads_no_remote_script(string path)
    {
        var text = await broker.Http.GetStringAsync(new Uri(path, UriKind.Relative));

        Assert.That(text, Does.Not.Contain("innerHTML").And.Not.Contain("outerHTML").And.Not.Contain("insertAdjacentHTML").And.Not.Contain("document.write"));
        Assert.That(text, Does.Not.Match(@"<script[^>]+src=""(https?:)?//"), "scripts come from the broker, never a CDN");
    }

    [Test]
    public async Task Unknown_page_is_404()
    {
        using var response = await broker.Http.GetAsync(new Uri("/samples/nope.html", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

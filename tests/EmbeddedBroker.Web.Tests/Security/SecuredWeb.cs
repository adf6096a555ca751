using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using EmbeddedBroker.Security.Editing;
using EmbeddedBroker.Web.Tests.Infrastructure;

namespace EmbeddedBroker.Web.Tests.Security;

/// <summary>
/// A broker with authentication on: a password file (alice/s3cret, bob/hunter2) written by `EmbeddedBroker passwd`,
/// an ACL file (alice reads sensors/# but not sensors/secret/#, writes commands/#; bob reads everything), anonymous
/// access off. Plus the HTTP and WebSocket helpers the security tests share.
/// </summary>
internal sealed class SecuredWeb : IAsyncDisposable
{
    private readonly TempFolder files;

    private SecuredWeb(TempFolder files, WebBroker broker)
    {
        this.files = files;
        Broker = broker;
    }

    public WebBroker Broker { get; }

    public static async Task<SecuredWeb> StartAsync(params string[] extra)
    {
        var files = new TempFolder("eb-websec-");
        try
        {
            var passwords = new PasswordFileEditor(TextWriter.Null, TextWriter.Null, new NoPrompt());
            passwords.Run(["-c", "-b", files.Combine("passwd"), "alice", "s3cret"]);
            passwords.Run(["-b", files.Combine("passwd"), "bob", "hunter2"]);
            File.WriteAllLines(files.Combine("acl"),
            [
                "user alice", "topic read sensors/#", "topic deny sensors/secret/#", "topic write commands/#",
                "user bob", "topic readwrite #",
            ]);
            var broker = await WebBroker.StartAsync(
            [
                "--Security:Default:AllowAnonymous", "false",
                "--Security:Default:PasswordFile", files.Combine("passwd"),
                "--Security:Default:AclFile", files.Combine("acl"),
                .. extra,
            ]);
            return new SecuredWeb(files, broker);
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static async Task<HttpResponseMessage> SendAsync(WebBroker broker, HttpMethod method, string path, AuthenticationHeaderValue? credentials = null,
        string? json = null, string contentType = "application/json", string? origin = null, string? host = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = credentials;
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return await broker.Http.SendAsync(request);
    }

    /// <summary>A WebSocket handshake to /mqtt with subprotocol mqtt and, when given, a browser's Origin header.</summary>
    public static async Task<ClientWebSocket> OpenWebSocketAsync(WebBroker broker, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol("mqtt");
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(broker.WebSocketUri(), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends an MQTT 3.1.1 CONNECT (optionally with user name and password) and returns the CONNACK return code
    /// (MQTT-3.2.2.3: 0 accepted, 5 not authorized).</summary>
    public static async Task<byte> ConnectOverWebSocketAsync(ClientWebSocket socket, string clientId, string? user, string? password)
    {
        var payload = new List<byte>();
        AddString(payload, clientId);
        byte flags = 0x02; // clean session
        if (user is not null)
        {
            flags |= 0x80;
            AddString(payload, user);
        }

        if (password is not null)
        {
            flags |= 0x40;
            AddString(payload, password);
        }

        byte[] variable = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, flags, 0x00, 0x3C];
        var packet = new List<byte> { 0x10, (byte)(variable.Length + payload.Count) };
        packet.AddRange(variable);
        packet.AddRange(payload);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(packet.ToArray(), WebSocketMessageType.Binary, true, timeout.Token);
        var connack = new byte[4];
        var received = 0;
        while (received < connack.Length)
        {
            var result = await socket.ReceiveAsync(connack.AsMemory(received), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("closed before CONNACK");
            }

            received += result.Count;
        }

        Assert.That(connack[0], Is.EqualTo(0x20), "a CONNACK");
        return connack[3];
    }

    private static void AddString(List<byte> bytes, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        bytes.Add((byte)(utf8.Length >> 8));
        bytes.Add((byte)utf8.Length);
        bytes.AddRange(utf8);
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        files.Dispose();
    }

    private sealed class NoPrompt : IPasswordPrompt
    {
        public string? ReadPassword(string prompt) => null;
    }
}

using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EmbeddedBroker.Bridges.Options;

namespace EmbeddedBroker.Bridges.Connection;

/// <summary>
/// The byte stream to the remote broker: TCP (Nagle off), wrapped in TLS when the bridge has a CA file, seen as a pipe
/// pair for the client. The remote's certificate must chain to the bridge's CA file (the system's CAs are not used)
/// and, unless Insecure, name the host dialled.
/// </summary>
internal sealed class BridgeTransport : IDuplexPipe, IAsyncDisposable
{
    private readonly Stream _stream;

    private BridgeTransport(Stream stream)
    {
        _stream = stream;
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public static async Task<BridgeTransport> ConnectAsync(BridgeAddress address, BridgeTlsOptions tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls.Enabled)
            {
                var secure = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secure;
                try
                {
                    await secure.AuthenticateAsClientAsync(ClientOptions(address.Host, tls), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException ended)
                {
                    // A plain MQTT listener reads the ClientHello as a bad packet and hangs up: say what that usually means.
                    throw new AuthenticationException($"the remote ended the handshake ({ended.Message}); is {address} a TLS listener?");
                }
            }

            return new BridgeTransport(stream);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    private static SslClientAuthenticationOptions ClientOptions(string host, BridgeTlsOptions tls)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(LoadCas(tls.CaFile!));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            CertificateChainPolicy = policy,
            EnabledSslProtocols = SslProtocols.None, // the system's choice: TLS 1.2 or 1.3
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
                errors == SslPolicyErrors.None || (tls.Insecure && errors == SslPolicyErrors.RemoteCertificateNameMismatch),
        };
        if (tls.CertFile is not null)
        {
            options.ClientCertificates = [X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile)];
        }

        return options;
    }

    private static X509Certificate2Collection LoadCas(string caFile)
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(caFile);
        if (cas.Count == 0)
        {
            throw new AuthenticationException($"{caFile} holds no PEM certificate.");
        }

        return cas;
    }

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync().ConfigureAwait(false);
        await Output.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }
}

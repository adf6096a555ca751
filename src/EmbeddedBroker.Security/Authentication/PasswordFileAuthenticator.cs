using EmbeddedBroker.Contracts.Hooks;
using EmbeddedBroker.Protocol;
using EmbeddedBroker.Security.Passwords;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

using EmbeddedBroker.Security.Authentication.Scram;

namespace EmbeddedBroker.Security.Authentication;

/// <summary>
/// Mosquitto's password_file and allow_anonymous, per listener (per_listener_settings) or for all.
/// <para>
/// Reason codes, as Debian's mosquitto 2.0.11 answers them (src/handle_connect.c, checked with mosquitto_pub): an
/// anonymous client refused, an unknown user, a wrong password and a missing password all get Not authorized — 3.1.1
/// return code 5, 5.0 reason 0x87. Bad user name or password (3.1.1: 4, 5.0: 0x86) is only for a TLS listener with
/// use_identity_as_username / use_subject_as_username and no usable client certificate.
/// </para>
/// <para>
/// <see cref="Reload()"/> re-reads the files and swaps them in at once; a failed reload keeps the previous ones.
/// Connected clients are not affected (as in Mosquitto: "Clients that are already connected will not be affected").
/// Failures are counted (<see cref="Counters"/>), logged at most once per address per interval, and an address that
/// keeps failing waits, longer each time up to a bound, before any answer (a timer, not a thread).
/// </para>
/// </summary>
public sealed class PasswordFileAuthenticator : IConnectAuthenticator, IEnhancedAuthenticator
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FailedLoginTracker _failures;
    private readonly Lock _reloadLock = new();
    private SecurityOptions _options;
    private volatile ListenerScoped<ListenerPasswords> _listeners;

    /// <summary>Loads every configured password file; throws <see cref="SecurityFileException"/> (file:line and the fix)
    /// when one cannot be used, so that start-up stops.</summary>
    public PasswordFileAuthenticator(SecurityOptions options, ILogger<PasswordFileAuthenticator>? logger = null, TimeProvider? timeProvider = null)
    {
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _failures = new FailedLoginTracker(options.FailedLogins, _time, _logger);
        _listeners = Load(options);
    }

    public AuthenticationCounters Counters { get; } = new();

    /// <summary>Addresses currently remembered for failed logins (bounded by FailedLoginOptions.MaximumTrackedAddresses).</summary>
    public int TrackedFailureAddresses => _failures.TrackedAddresses;

    /// <summary>Re-reads the password files of the current options (SIGHUP).</summary>
    public SecurityReloadResult Reload() => Reload(_options);

    /// <summary>Switches to <paramref name="options"/> (a reloaded configuration) and reads its files. All or nothing: on
    /// any error the previous files and options stay in force and the error is logged and returned.</summary>
    public SecurityReloadResult Reload(SecurityOptions options) =>
        SecurityReload.Run(_reloadLock, _logger, "Password files", () =>
        {
            _listeners = Load(options);
            _options = options;
        });

    public async ValueTask<AuthenticationResult> AuthenticateAsync(MqttConnectRequest request, CancellationToken cancellationToken)
    {
        var connection = request.Connection;
        var address = connection.RemoteAddress ?? connection.RemoteEndPoint;
        var delay = _failures.DelayFor(address);
        if (delay > TimeSpan.Zero)
        {
            Counters.CountDelayed();
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        var (result, failure) = Decide(_listeners.For(connection.Listener), request);
        if (result.IsAccepted)
        {
            Counters.CountAccepted();
        }
        else
        {
            Counters.CountRefused(failure);
            _failures.RecordFailure(address, request.ClientId, request.Username, failure);
        }
        return result;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Methods { get; } = [ScramSha512Exchange.Method];

    /// <summary>
    /// MQTT 5 enhanced authentication with SCRAM-SHA-512 against the listener's password file: the client proves it knows
    /// the password without sending it (RFC 5802). Refused as a wrong password would be: counted, logged per address,
    /// slowed down after repeated failures.
    /// </summary>
    public async ValueTask<EnhancedAuthenticationStep> StartAsync(EnhancedAuthenticationRequest request, CancellationToken cancellationToken)
    {
        var address = request.Connection.RemoteAddress ?? request.Connection.RemoteEndPoint;
        var delay = _failures.DelayFor(address);
        if (delay > TimeSpan.Zero)
        {
            Counters.CountDelayed();
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        var exchange = ScramSha512Exchange.Start(_listeners.For(request.Connection.Listener).Passwords, request.Data.Span);
        if (exchange is null)
            return EnhancedAuthenticationStep.Fail(MqttReasonCode.ProtocolError);
        return EnhancedAuthenticationStep.Continue(exchange.ServerFirst, (clientFinal, _) =>
        {
            var (reasonCode, serverFinal) = exchange.Finish(clientFinal.Span);
            if (reasonCode == MqttReasonCode.Success)
            {
                Counters.CountAccepted();
                return ValueTask.FromResult(EnhancedAuthenticationStep.Succeed(exchange.Username, serverFinal));
            }

            Counters.CountRefused(LoginFailure.WrongPassword);
            _failures.RecordFailure(address, request.ClientId, exchange.Username, LoginFailure.WrongPassword);
            return ValueTask.FromResult(EnhancedAuthenticationStep.Fail(reasonCode));
        });
    }

    private static (AuthenticationResult Result, LoginFailure Failure) Decide(ListenerPasswords listener, MqttConnectRequest request)
    {
        var options = listener.Options;
        if (options.UseIdentityAsUsername || options.UseSubjectAsUsername)
        {
            // Mosquitto ignores the CONNECT's user name and password here and does not consult the password file.
            var certificate = request.Connection.ClientCertificate;
            var name = certificate is null ? null
                : options.UseIdentityAsUsername ? CertificateUsername.CommonName(certificate)
                : CertificateUsername.Subject(certificate);
            return name is null
                ? (AuthenticationResult.Refuse(MqttReasonCode.BadUserNameOrPassword), LoginFailure.Certificate)
                : (AuthenticationResult.Accept(name), default);
        }

        var refused = AuthenticationResult.Refuse(MqttReasonCode.NotAuthorized);
        if (listener.Passwords is not { } passwords)
        {
            // No password file: allow_anonymous alone decides, for clients with a user name too (Mosquitto's
            // mosquitto_unpwd_check with no plugin in use).
            return options.AllowAnonymous ? (AuthenticationResult.Accept(request.Username), default) : (refused, LoginFailure.Anonymous);
        }

        if (request.Username is not { } username)
        {
            return options.AllowAnonymous ? (AuthenticationResult.Accept(null), default) : (refused, LoginFailure.Anonymous);
        }

        if (request.Password is not { } password)
        {
            passwords.SpendCheckTime(ReadOnlySpan<byte>.Empty);
            return (refused, LoginFailure.NoPassword);
        }

        // The password's bytes as sent; Mosquitto stops at a NUL byte (strlen), which would let "secret\0anything" in
        // as "secret": here such a password simply never matches.
        return passwords.Check(username, password.Span) switch
        {
            PasswordCheck.Accepted => (AuthenticationResult.Accept(username), default),
            PasswordCheck.UnknownUser => (refused, LoginFailure.UnknownUser),
            _ => (refused, LoginFailure.WrongPassword),
        };
    }

    private static ListenerScoped<ListenerPasswords> Load(SecurityOptions options) =>
        ListenerScoped<ListenerPasswords>.Load(options, listener =>
            new ListenerPasswords(listener.Snapshot(), listener.PasswordFile is { } path ? PasswordFile.Load(path) : null));

    private sealed record ListenerPasswords(ListenerSecurityOptions Options, PasswordFile? Passwords);
}

namespace EmbeddedBroker.Security.Authentication;

/// <summary>Totals since start, for metrics and $SYS; read from any thread.</summary>
public sealed class AuthenticationCounters
{
    private long _accepted;
    private long _refusedAnonymous;
    private long _refusedCredentials;
    private long _refusedCertificate;
    private long _delayed;

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Every refused CONNECT: the sum of the three kinds below.</summary>
    public long FailedLogins => RefusedAnonymous + RefusedCredentials + RefusedCertificate;

    /// <summary>No user name while anonymous access is off (or no password file and anonymous access off).</summary>
    public long RefusedAnonymous => Interlocked.Read(ref _refusedAnonymous);

    /// <summary>Unknown user, wrong password or no password.</summary>
    public long RefusedCredentials => Interlocked.Read(ref _refusedCredentials);

    /// <summary>use_identity_as_username / use_subject_as_username without a usable client certificate.</summary>
    public long RefusedCertificate => Interlocked.Read(ref _refusedCertificate);

    /// <summary>Attempts made to wait because their address had failed too often.</summary>
    public long Delayed => Interlocked.Read(ref _delayed);

    internal void CountAccepted() => Interlocked.Increment(ref _accepted);

    internal void CountRefused(LoginFailure failure)
    {
        switch (failure)
        {
            case LoginFailure.Anonymous:
                Interlocked.Increment(ref _refusedAnonymous);
                break;
            case LoginFailure.Certificate:
                Interlocked.Increment(ref _refusedCertificate);
                break;
            default:
                Interlocked.Increment(ref _refusedCredentials);
                break;
        }
    }

    internal void CountDelayed() => Interlocked.Increment(ref _delayed);
}

/// <summary>Why a login failed, for counters and the log (never sent to the client, which only gets a reason code).</summary>
internal enum LoginFailure
{
    Anonymous,
    UnknownUser,
    WrongPassword,
    NoPassword,
    Certificate,
}

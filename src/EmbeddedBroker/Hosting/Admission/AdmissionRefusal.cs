namespace EmbeddedBroker.Hosting.Admission;

/// <summary>Why a socket was closed as soon as it was accepted.</summary>
public enum AdmissionRefusal
{
    /// <summary>All listeners together hold <see cref="ConnectionAdmission.Capacity"/> connections.</summary>
    Capacity,

    /// <summary>The address holds <see cref="ConnectionAdmissionOptions.MaxConnectionsPerAddress"/> connections.</summary>
    PerAddressLimit,

    /// <summary>The address connects faster than <see cref="ConnectionAdmissionOptions.MaxConnectRatePerAddress"/>.</summary>
    ConnectRate,

    /// <summary>accept() itself failed: the process or the system has no descriptor or buffer left.</summary>
    OutOfResources,
}

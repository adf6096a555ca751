using System.Net;
using EmbeddedBroker.Hosting.Admission;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmbeddedBroker.App.Tests.Admission;

/// <summary>The decisions taken for each accepted socket: capacity, per-address count and connect rate.</summary>
[TestFixture]
public sealed class ConnectionAdmissionTests
{
    private static readonly IPAddress Remote = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress OtherRemote = IPAddress.Parse("192.0.2.11");

    private static ConnectionAdmission Create(ConnectionAdmissionOptions options) =>
        new(Options.Create(options), NullLogger<ConnectionAdmission>.Instance);

    [Test]
    public void Past_the_configured_maximum_every_listener_refuses_until_one_closes()
    {
        var admission = Create(new ConnectionAdmissionOptions { MaxConnections = 2 });

        Assert.That(admission.TryAdmit(Remote), Is.Null);
        Assert.That(admission.TryAdmit(OtherRemote), Is.Null);
        Assert.That(admission.TryAdmit(IPAddress.Loopback), Is.EqualTo(AdmissionRefusal.Capacity));

        admission.Release(Remote);
        Assert.That(admission.TryAdmit(IPAddress.Loopback), Is.Null);
        Assert.That(admission.Refused(AdmissionRefusal.Capacity), Is.EqualTo(1));
        Assert.That(admission.Open, Is.EqualTo(2));
    }

    [Test]
    public void The_capacity_is_never_above_what_the_open_file_limit_leaves_after_the_reserve()
    {
        var admission = Create(new ConnectionAdmissionOptions { MaxConnections = int.MaxValue });
        var descriptors = FileDescriptorLimit.Read();

        Assume.That(descriptors, Is.Not.Null, "needs /proc (Linux)");
        Assert.That(admission.Capacity, Is.LessThanOrEqualTo(descriptors!.Value.Limit - 128));
    }

    [Test]
    public void One_address_is_refused_past_its_connection_limit_while_others_get_in()
    {
        var admission = Create(new ConnectionAdmissionOptions { MaxConnectionsPerAddress = 3, MaxConnectRatePerAddress = 0 });

        for (var i = 0; i < 3; i++)
        {
            Assert.That(admission.TryAdmit(Remote), Is.Null);
        }

        Assert.That(admission.TryAdmit(Remote), Is.EqualTo(AdmissionRefusal.PerAddressLimit));
        Assert.That(admission.TryAdmit(OtherRemote), Is.Null, "another address is not affected");
        admission.Release(Remote);
        Assert.That(admission.TryAdmit(Remote), Is.Null, "a closed connection makes room for the address again");
    }

    [Test]
    public void One_address_connecting_faster_than_the_rate_is_refused_after_its_burst()
    {
        var admission = Create(new ConnectionAdmissionOptions { MaxConnectRatePerAddress = 1, ConnectBurstPerAddress = 5 });

        for (var i = 0; i < 5; i++)
        {
            Assert.That(admission.TryAdmit(Remote), Is.Null);
            admission.Release(Remote);
        }

        Assert.That(admission.TryAdmit(Remote), Is.EqualTo(AdmissionRefusal.ConnectRate), "closing does not give the burst back");
        Assert.That(admission.TryAdmit(OtherRemote), Is.Null);
    }

    [Test]
    public void Loopback_clients_are_not_limited_per_address_unless_asked()
    {
        var unlimited = Create(new ConnectionAdmissionOptions { MaxConnectionsPerAddress = 1 });
        var limited = Create(new ConnectionAdmissionOptions { MaxConnectionsPerAddress = 1, LimitLoopback = true });

        Assert.That(unlimited.TryAdmit(IPAddress.Loopback), Is.Null);
        Assert.That(unlimited.TryAdmit(IPAddress.Loopback), Is.Null);
        Assert.That(unlimited.TryAdmit(IPAddress.IPv6Loopback), Is.Null);
        Assert.That(limited.TryAdmit(IPAddress.Loopback), Is.Null);
        Assert.That(limited.TryAdmit(IPAddress.Loopback), Is.EqualTo(AdmissionRefusal.PerAddressLimit));
    }

    [Test]
    public void Many_addresses_connecting_and_leaving_keep_the_ledger_bounded()
    {
        var admission = Create(new ConnectionAdmissionOptions { MaxConnectRatePerAddress = 1_000_000, ConnectBurstPerAddress = 1 });

        for (var i = 0; i < 150_000; i++)
        {
            var address = new IPAddress(BitConverter.GetBytes(0x0A000000 + i));
            Assert.That(admission.TryAdmit(address), Is.Null);
            admission.Release(address);
        }

        Assert.That(admission.Open, Is.Zero);
        Assert.That(admission.TrackedAddresses, Is.LessThanOrEqualTo(100_000));
    }
}

using System.Net;
using Throughline.Health;

namespace Throughline.Tests.Health;

/// <summary>Which addresses an outgoing call may not reach unless allowed, and what a refusal calls them.</summary>
public sealed class InternalAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", "a loopback address (127.0.0.0/8)")]
    [InlineData("127.255.0.9", "a loopback address (127.0.0.0/8)")]
    [InlineData("169.254.169.254", "a link-local address (the cloud metadata service lives here) (169.254.0.0/16)")]
    [InlineData("10.0.0.1", "a private address (10.0.0.0/8)")]
    [InlineData("172.16.0.1", "a private address (172.16.0.0/12)")]
    [InlineData("172.31.255.255", "a private address (172.16.0.0/12)")]
    [InlineData("192.168.1.1", "a private address (192.168.0.0/16)")]
    [InlineData("100.64.0.1", "a shared (carrier-grade NAT) address (100.64.0.0/10)")]
    [InlineData("0.0.0.0", "an unspecified address (0.0.0.0/8)")]
    [InlineData("224.0.0.1", "a multicast address (224.0.0.0/4)")]
    [InlineData("255.255.255.255", "a reserved or broadcast address (240.0.0.0/4)")]
    [InlineData("::", "an unspecified address (::/128)")]
    [InlineData("::1", "a loopback address (::1/128)")]
    [InlineData("fe80::1", "a link-local address (fe80::/10)")]
    [InlineData("fd00:ec2::254", "a unique local (private) address (the cloud metadata service may live here) (fc00::/7)")]
    [InlineData("fc00::1", "a unique local (private) address (the cloud metadata service may live here) (fc00::/7)")]
    [InlineData("ff02::1", "a multicast address (ff00::/8)")]
    [InlineData("::ffff:127.0.0.1", "a loopback address (127.0.0.0/8), carried in an IPv6 address")]
    [InlineData("::ffff:169.254.169.254", "a link-local address (the cloud metadata service lives here) (169.254.0.0/16), carried in an IPv6 address")]
    [InlineData("::ffff:10.1.2.3", "a private address (10.0.0.0/8), carried in an IPv6 address")]
    [InlineData("::127.0.0.1", "a loopback address (127.0.0.0/8), carried in an IPv6 address")]
    [InlineData("64:ff9b::a9fe:a9fe", "a link-local address (the cloud metadata service lives here) (169.254.0.0/16), carried in an IPv6 address")]
    public void Describe_InternalAddress_NamesItsKindAndRange(string address, string expected)
    {
        var description = InternalAddresses.Describe(IPAddress.Parse(address));

        Assert.Equal(expected, description);
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Describe_PublicAddress_IsNull(string address)
    {
        var description = InternalAddresses.Describe(IPAddress.Parse(address));

        Assert.Null(description);
        Assert.False(InternalAddresses.IsInternal(IPAddress.Parse(address)));
    }
}

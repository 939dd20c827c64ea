using System.Net;
using System.Net.Sockets;

namespace Throughline.Health;

/// <summary>
/// The addresses an outgoing call may not reach unless its host is allowed: this machine, the local network, the cloud
/// metadata service, and addresses that are not one host.
/// </summary>
/// <remarks>
/// <para>The ranges, in the order they are checked: IPv4 <c>0.0.0.0/8</c> (unspecified), <c>127.0.0.0/8</c> (loopback),
/// <c>169.254.0.0/16</c> (link-local, with the metadata address 169.254.169.254), <c>10.0.0.0/8</c>, <c>172.16.0.0/12</c>,
/// <c>192.168.0.0/16</c> (private), <c>100.64.0.0/10</c> (shared, CGNAT), <c>224.0.0.0/4</c> (multicast), <c>240.0.0.0/4</c>
/// (reserved, with the broadcast address); IPv6 <c>::/128</c> (unspecified), <c>::1/128</c> (loopback), <c>fe80::/10</c>
/// (link-local), <c>fc00::/7</c> (unique local, with the metadata address fd00:ec2::254), <c>fec0::/10</c> (site-local),
/// <c>ff00::/8</c> (multicast).</para>
/// <para>An IPv6 address that carries an IPv4 address (IPv4-mapped <c>::ffff:0:0/96</c>, IPv4-compatible <c>::/96</c>,
/// NAT64 <c>64:ff9b::/96</c>) is judged by the IPv4 address it carries, so <c>::ffff:127.0.0.1</c> is loopback.</para>
/// </remarks>
public static class InternalAddresses
{
    private static readonly (IPNetwork Network, string Kind)[] Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (the cloud metadata service lives here)"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved or broadcast address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fc00::/7"), "a unique local (private) address (the cloud metadata service may live here)"),
        (IPNetwork.Parse("fec0::/10"), "a site-local (private) address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>
    /// What kind of internal address <paramref name="address"/> is, with its range ("a loopback address (127.0.0.0/8)"),
    /// or null when it is a public address an outgoing call may reach.
    /// </summary>
    /// <param name="address">An IPv4 or IPv6 address; the scope id of an IPv6 address is ignored.</param>
    public static string? Describe(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6
            && Embedded(address) is { } carried
            && Describe(carried) is { } kind)
        {
            return kind + ", carried in an IPv6 address";
        }

        foreach (var (network, description) in Ranges)
        {
            if (network.Contains(address))
            {
                return $"{description} ({network})";
            }
        }

        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6
            ? null
            : $"not an IP address ({address.AddressFamily})";
    }

    /// <summary>True when <paramref name="address"/> is one an outgoing call may not reach unless its host is allowed.</summary>
    /// <param name="address">An IPv4 or IPv6 address.</param>
    public static bool IsInternal(IPAddress address) => Describe(address) is not null;

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible or NAT64), or null.</summary>
    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        // :: and ::1 lie in ::/96 too, but are IPv6's own unspecified and loopback addresses, judged by the table.
        if ((Compatible.Contains(address) && !address.Equals(IPAddress.IPv6None) && !address.Equals(IPAddress.IPv6Loopback))
            || Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return null;
    }
}

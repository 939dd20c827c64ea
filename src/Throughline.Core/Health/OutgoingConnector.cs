using System.Net;
using System.Net.Sockets;

namespace Throughline.Health;

/// <summary>How the connector reaches the network: name resolution, and a look at each address before it is connected to.</summary>
/// <param name="Resolve">Resolves a host name to its addresses (the system's resolver by default).</param>
/// <param name="Connecting">Told of each address just before a connection to it is attempted (tests watch it).</param>
internal sealed record OutgoingNetwork(Func<string, CancellationToken, Task<IPAddress[]>> Resolve, Action<IPEndPoint>? Connecting = null)
{
    public static readonly OutgoingNetwork System = new((host, cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken));
}

/// <summary>An outgoing call's host is, or resolved to, an internal address, and the host is not allowed.</summary>
internal sealed class InternalAddressRefusedException(string host, IPAddress address, string kind)
    : Exception(IPAddress.TryParse(host, out _) ? $"{host} is {kind}" : $"{host} resolves to {address}, {kind}")
{
    public string Host { get; } = host;

    public IPAddress Address { get; } = address;
}

/// <summary>
/// Opens the connections of outgoing calls (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the host itself,
/// refuses when any of its addresses is internal (<see cref="InternalAddresses"/>) unless the host is allowed, and connects
/// to exactly the addresses it checked.
/// </summary>
/// <remarks>
/// Checking the addresses actually connected to, rather than the URL, is what stops a name that resolves to an internal
/// address (<c>localhost</c>, <c>127.0.0.1.nip.io</c>) and DNS rebinding (a name that answers a public address to a first
/// look and an internal one to the connection). A name with one internal address among public ones is refused whole.
/// </remarks>
internal sealed class OutgoingConnector(IReadOnlySet<string> allowHosts, OutgoingNetwork network)
{
    /// <summary>A host as allow lists compare it: lowercase, an IPv6 literal without its brackets.</summary>
    public static string HostKey(string host) => host.Trim().TrimStart('[').TrimEnd(']').ToLowerInvariant();

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = HostKey(context.DnsEndPoint.Host);
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await network.Resolve(host, cancellationToken);
        if (!allowHosts.Contains(host))
        {
            foreach (var address in addresses)
            {
                if (InternalAddresses.Describe(address) is { } kind)
                {
                    throw new InternalAddressRefusedException(host, address, kind);
                }
            }
        }

        Exception? failure = null;
        foreach (var address in addresses)
        {
            var endpoint = new IPEndPoint(address, context.DnsEndPoint.Port);
            network.Connecting?.Invoke(endpoint);
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                // The next address may answer (a name with IPv6 and IPv4 addresses on a machine without IPv6 routes).
                socket.Dispose();
                failure = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw failure ?? new SocketException((int)SocketError.HostNotFound);
    }
}

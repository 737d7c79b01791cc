using System.Net.Sockets;
using System.Net;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>
/// A TCP listener on 127.0.0.1 (random port) that accepts every connection, counts it, reads nothing, answers
/// nothing and keeps it open until disposed: what a host that swallows packets to a metadata address looks like,
/// and a way to prove that a request never left (no connection accepted).
/// </summary>
public sealed class SilentTcpListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;

    public SilentTcpListener()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>The base address: <c>http://127.0.0.1:port</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The number of connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                Interlocked.Increment(ref _connections);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        lock (_accepted)
        {
            foreach (Socket socket in _accepted)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }
}

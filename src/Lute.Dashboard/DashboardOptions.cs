using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Lute.Dashboard;

/// <summary>
/// How the dashboard listens, from its command line (<c>lute dashboard</c> passes it on). Loopback by default. An
/// address beyond loopback needs TLS (<c>--tls-cert</c>/<c>--tls-key</c>) or an explicit <c>--insecure</c>, and always
/// the token; on loopback the token is still the default (other users of a login node reach 127.0.0.1 too) and
/// <c>--no-token</c> turns it off there only.
/// </summary>
internal sealed record DashboardOptions
{
    public const int DefaultPort = 8686;

    public required string StorePath { get; init; }

    public required IPEndPoint Listen { get; init; }

    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    public bool Tls => TlsCertificate is not null;

    /// <summary>The access token, or null when none is needed (loopback with <c>--no-token</c>).</summary>
    public string? Token { get; init; }

    /// <summary>Reads the options; a problem is an <see cref="ArgumentException"/> whose message says what to change.</summary>
    public static DashboardOptions Parse(IReadOnlyList<string> args)
    {
        string? store = null, listen = null, cert = null, key = null;
        bool insecure = false, noToken = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--store": store = Value(); break;
                case "--listen": listen = Value(); break;
                case "--tls-cert": cert = Value(); break;
                case "--tls-key": key = Value(); break;
                case "--insecure": insecure = true; break;
                case "--no-token": noToken = true; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        if (store is null)
        {
            throw new ArgumentException("--store FILE is required (lute dashboard gives the configured store)");
        }

        var endpoint = Endpoint(listen ?? $"127.0.0.1:{DefaultPort.ToString(CultureInfo.InvariantCulture)}");
        if ((cert is null) != (key is null))
        {
            throw new ArgumentException("--tls-cert and --tls-key go together: give the certificate and its private key (PEM files)");
        }

        var loopback = IPAddress.IsLoopback(endpoint.Address);
        if (!loopback && cert is null && !insecure)
        {
            throw new ArgumentException(
                $"--listen {listen} is beyond loopback: give --tls-cert FILE --tls-key FILE, or --insecure to serve plain HTTP there (the token then crosses the network in the clear)");
        }

        if (!loopback && noToken)
        {
            throw new ArgumentException($"--no-token is for loopback only; --listen {listen} reaches other machines, so the dashboard needs its token");
        }

        return new DashboardOptions
        {
            StorePath = store,
            Listen = endpoint,
            TlsCertificate = cert,
            TlsKey = key,
            Token = noToken ? null : Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_'),
        };
    }

    private static IPEndPoint Endpoint(string text)
    {
        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal))
        {
            return endpoint;
        }

        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(text.AsSpan(10), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        throw new ArgumentException($"--listen '{text}' is not ADDRESS:PORT (for example 127.0.0.1:8686, 0.0.0.0:8686 or [::1]:8686)");
    }
}

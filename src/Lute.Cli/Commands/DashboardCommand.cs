using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Lute.Host.Configuration;
using Lute.Host.Running;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute dashboard</c>: the result store in a browser. The server is its own program (dashboard/lute-dashboard beside
/// lute), so ASP.NET Core is loaded by this verb alone; this command finds the configured store, starts the server with
/// it in the foreground, passes Ctrl-C and SIGTERM on, and ends with the server's exit code.
/// </summary>
internal static partial class DashboardCommand
{
    public static Command Create()
    {
        var listen = new Option<string?>("--listen")
        {
            Description = "ADDRESS:PORT to serve on (default 127.0.0.1:8686; beyond loopback needs --tls-cert/--tls-key or --insecure)",
        };
        var cert = new Option<string?>("--tls-cert") { Description = "PEM certificate: serve HTTPS" };
        var key = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
        var insecure = new Option<bool>("--insecure") { Description = "serve plain HTTP beyond loopback (the token crosses the network in the clear)" };
        var noToken = new Option<bool>("--no-token") { Description = "on loopback only: no access token (any local user can then use the dashboard)" };
        var command = new Command("dashboard", "Serves the result store as a live web page: runs, filters, plots, logs; stop, continue and cancel buttons")
        {
            listen, cert, key, insecure, noToken,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var config = LuteCommandLine.LoadConfiguration(parsed);
            if (config.StoreConnection is not null)
            {
                throw new InputException($"the dashboard shows SQLite stores; {config.StorePath} is a PostgreSQL store (lute history, show and status read it)");
            }

            if (!File.Exists(config.StorePath))
            {
                throw new InputException(Stores.Missing(config));
            }

            var program = Path.Combine(AppContext.BaseDirectory, "dashboard", "lute-dashboard");
            if (!File.Exists(program))
            {
                throw new InputException($"the dashboard is not installed beside lute: {program} is missing (./build.sh builds it)");
            }

            var arguments = new List<string> { "--store", config.StorePath };
            void Pass(string name, string? value)
            {
                if (value is not null)
                {
                    arguments.Add(name);
                    arguments.Add(value);
                }
            }

            Pass("--listen", parsed.GetValue(listen));
            Pass("--tls-cert", parsed.GetValue(cert));
            Pass("--tls-key", parsed.GetValue(key));
            if (parsed.GetValue(insecure))
            {
                arguments.Add("--insecure");
            }

            if (parsed.GetValue(noToken))
            {
                arguments.Add("--no-token");
            }

            return await ServeAsync(program, arguments, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> ServeAsync(string program, List<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false };
        arguments.ForEach(start.ArgumentList.Add);
        using var server = new Process { StartInfo = start };
        try
        {
            server.Start();
        }
        catch (Win32Exception e)
        {
            throw new InputException($"cannot start the dashboard ({program}): {e.Message}");
        }

        // The terminal's Ctrl-C reaches the server too; a SIGTERM sent to lute alone is passed on. Either way lute waits
        // for the server to stop and ends with its code.
        void PassOn(PosixSignalContext signal)
        {
            signal.Cancel = true;
            _ = Kill(server.Id, 15);
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, PassOn);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, PassOn);
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, PassOn);
        using var cancel = cancellationToken.Register(() => _ = Kill(server.Id, 15));
        await server.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return server.ExitCode < 0 ? ExitCodes.Internal : server.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

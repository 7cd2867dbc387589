using System.Net;
using Lute.Contracts;
using Lute.Host.Configuration;
using Lute.Host.Protocol;

namespace Lute.Tests.Unit;

public sealed class ListenAddressSpecs
{
    private static readonly Dictionary<string, string> NoSlurm = new() { ["SLURM_CONF"] = "/nonexistent/slurm.conf" };

    private static TcpSettings Tcp(params (string Key, string Value)[] values) =>
        CommunicatorSettings.Parse(new PluginSettings(values.ToDictionary(v => v.Key, v => v.Value))).Tcp;

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.3.4.5", false)]
    [InlineData("::1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("169.254.10.1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("10.77.0.1", true)]
    [InlineData("192.0.2.2", true)]
    [InlineData("fd00::2", true)]
    public void Loopback_link_local_and_wildcard_addresses_are_not_reachable_from_elsewhere(string address, bool reachable)
    {
        // Act
        var result = ListenAddress.IsReachableFromElsewhere(IPAddress.Parse(address));

        // Assert
        Assert.Equal(reachable, result);
    }

    [Theory]
    [InlineData("SlurmctldHost=ctl01(10.1.2.3)\nSlurmctldHost=ctl02(10.1.2.4)", "10.1.2.3")]
    [InlineData("# SlurmctldHost=old(10.9.9.9)\n  slurmctldhost = ctl01  # primary", "ctl01")]
    [InlineData("ControlMachine=ctl01\nControlAddr=10.1.2.3", "10.1.2.3")]
    [InlineData("ControlMachine=ctl01", "ctl01")]
    [InlineData("ClusterName=x", null)]
    public void The_SLURM_controller_is_read_from_slurm_conf(string text, string? expected)
    {
        // Arrange
        var path = Path.GetTempFileName();
        File.WriteAllText(path, text);

        // Act
        var controller = ListenAddress.SlurmController(path);

        // Assert
        File.Delete(path);
        Assert.Equal(expected, controller);
    }

    [Fact]
    public void The_route_towards_this_machine_through_loopback_starts_at_loopback()
    {
        // Act
        var source = ListenAddress.RouteSource(IPAddress.Loopback);

        // Assert
        Assert.Equal(IPAddress.Loopback, source);
    }

    [Fact]
    public async Task Auto_towards_a_host_on_this_machine_never_chooses_a_loopback_address()
    {
        // Arrange
        var settings = Tcp(("tcp_address_towards", "127.0.0.1"));

        // Act
        var choice = await ListenAddress.ChooseAsync(settings, NoSlurm, "executor 'x'", CancellationToken.None);

        // Assert
        Assert.True(ListenAddress.IsReachableFromElsewhere(choice.Address), choice.ToString());
        Assert.Contains("is this machine", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auto_towards_a_reachable_address_chooses_the_source_address_of_its_route()
    {
        // Arrange: an address of this machine other than loopback is its own route's source.
        var own = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
            .First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && ListenAddress.IsReachableFromElsewhere(a));
        var settings = Tcp(("tcp_address", "auto"), ("tcp_address_towards", $"no-such-host.invalid-not-used, {own}"));

        // Act
        var choice = await ListenAddress.ChooseAsync(settings with { Towards = [own.ToString()] }, NoSlurm, "executor 'x'", CancellationToken.None);

        // Assert
        Assert.Equal(own, choice.Address);
        Assert.Contains($"the route towards {own}", choice.Reason, StringComparison.Ordinal);
        Assert.Equal(["no-such-host.invalid-not-used", own.ToString()], settings.Towards);
    }

    [Fact]
    public async Task A_towards_host_that_does_not_resolve_is_bad_input_naming_the_setting()
    {
        // Arrange
        var settings = Tcp(("tcp_address_towards", "no-such-host.invalid"));

        // Act
        var error = await Assert.ThrowsAsync<InputException>(() => ListenAddress.ChooseAsync(settings, NoSlurm, "executor 'x'", CancellationToken.None));

        // Assert
        Assert.StartsWith("executor 'x': setting 'tcp_address_towards': cannot resolve the host name 'no-such-host.invalid'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interface_name_gives_its_address_and_the_loopback_interface_is_refused()
    {
        // Act
        var error = await Assert.ThrowsAsync<InputException>(() => ListenAddress.ChooseAsync(Tcp(("tcp_address", "lo")), NoSlurm, "executor 'x'", CancellationToken.None));

        // Assert
        Assert.Equal("executor 'x': setting 'tcp_address': interface lo has no address other nodes can reach (only loopback or link-local ones)", error.Message);
    }

    [Fact]
    public void Towards_with_an_explicit_address_is_an_error_naming_both_settings()
    {
        // Act
        var error = Assert.Throws<FormatException>(() => Tcp(("tcp_address", "10.1.2.3"), ("tcp_address_towards", "node01")));

        // Assert
        Assert.Equal("setting 'tcp_address_towards' applies only with 'tcp_address: auto' (or without 'tcp_address'), not with 'tcp_address: 10.1.2.3'", error.Message);
    }
}

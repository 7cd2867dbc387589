using Lute.Contracts;
using Lute.Host.Protocol;

namespace Lute.Tests.Unit;

public sealed class CommunicatorSettingsSpecs
{
    private static CommunicatorSettings Parse(params (string Key, string Value)[] values)
    {
        var map = new Dictionary<string, string>();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return CommunicatorSettings.Parse(new PluginSettings(map));
    }

    [Fact]
    public void Without_settings_the_unix_socket_is_used_and_tcp_has_its_defaults()
    {
        // Act
        var settings = Parse();

        // Assert
        Assert.False(settings.UseTcp);
        Assert.Equal("127.0.0.1", settings.Tcp.Address);
        Assert.True(settings.Tcp.AnyPort);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Tcp.HandshakeTimeout);
    }

    [Theory]
    [InlineData("tcp", true)]
    [InlineData(" TCP ", true)]
    [InlineData("unix", false)]
    [InlineData("Unix", false)]
    public void The_communicator_is_unix_or_tcp_in_any_case(string value, bool tcp)
    {
        // Act
        var settings = Parse(("communicator", value));

        // Assert
        Assert.Equal(tcp, settings.UseTcp);
    }

    [Theory]
    [InlineData("0", 0, 0)]
    [InlineData("40000", 40000, 40000)]
    [InlineData("40000-40100", 40000, 40100)]
    [InlineData(" 40000 - 40001 ", 40000, 40001)]
    [InlineData("1-65535", 1, 65535)]
    public void Ports_are_one_port_a_range_or_any(string value, int first, int last)
    {
        // Act
        var tcp = Parse(("communicator", "tcp"), ("tcp_ports", value)).Tcp;

        // Assert
        Assert.Equal(first, tcp.FirstPort);
        Assert.Equal(last, tcp.LastPort);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("[::1]", "::1")]
    [InlineData(" 10.1.2.3 ", "10.1.2.3")]
    [InlineData("node01", "node01")]
    [InlineData("node01.cluster.example", "node01.cluster.example")]
    public void The_address_is_an_ip_address_or_a_host_name(string value, string expected)
    {
        // Act
        var tcp = Parse(("tcp_address", value)).Tcp;

        // Assert
        Assert.Equal(expected, tcp.Address);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1m", 60000)]
    [InlineData("3", 3000)]
    public void The_handshake_timeout_is_a_duration(string value, int milliseconds)
    {
        // Act
        var tcp = Parse(("tcp_handshake_timeout", value)).Tcp;

        // Assert
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), tcp.HandshakeTimeout);
    }

    [Theory]
    [InlineData("communicator", "")]
    [InlineData("tcp_ports", "abc")]
    [InlineData("tcp_ports", "70000")]
    [InlineData("tcp_ports", "-1")]
    [InlineData("tcp_ports", "0-10")]
    [InlineData("tcp_ports", "40100-40000")]
    [InlineData("tcp_ports", "1-2-3")]
    [InlineData("tcp_ports", "")]
    [InlineData("tcp_address", "")]
    [InlineData("tcp_address", "999.1.2.3")]
    [InlineData("tcp_address", "127.1")]
    [InlineData("tcp_address", "bad host!")]
    [InlineData("tcp_address", "[node01]")]
    [InlineData("tcp_address", "127.0.0.1:4000")]
    [InlineData("tcp_address", "[::1]:4000")]
    [InlineData("tcp_handshake_timeout", "soon")]
    [InlineData("tcp_handshake_timeout", "0s")]
    [InlineData("tcp_handshake_timeout", "-5s")]
    public void A_bad_value_is_an_error_that_names_the_setting_and_the_value(string key, string value)
    {
        // Act
        var error = Assert.Throws<FormatException>(() => Parse(("communicator", "tcp"), (key, value)));

        // Assert
        Assert.StartsWith($"setting '{key}' must be ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"not '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zeromq", "zeromq", true)]
    [InlineData(" test.drop ", "test.drop", true)]
    [InlineData("TCP", "tcp", false)]
    [InlineData("Unix", "unix", false)]
    public void Another_name_is_kept_as_written_for_a_plugin_to_provide_and_the_built_in_names_are_read_in_any_case(string written, string name, bool fromPlugin)
    {
        // Act
        var settings = Parse(("communicator", written));

        // Assert
        Assert.Equal((name, fromPlugin), (settings.Name, settings.FromPlugin));
    }

    [Fact]
    public void Tcp_settings_are_checked_even_when_the_unix_socket_is_chosen()
    {
        // Act
        var error = Assert.Throws<FormatException>(() => Parse(("communicator", "unix"), ("tcp_ports", "many")));

        // Assert
        Assert.Contains("tcp_ports", error.Message, StringComparison.Ordinal);
    }
}

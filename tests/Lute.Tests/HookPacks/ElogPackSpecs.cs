using System.Text;
using System.Text.Json;
using Lute.Contracts;
using Lute.Host.Running;
using Lute.Tests.Integration;
using Lute.Tests.Support;

namespace Lute.Tests.HookPacks;

[Collection(ProcessCollection.Name)]
public sealed class ElogPackSpecs
{
    private const string Password = "opr-password-9931";
    private const string ArpToken = "Bearer arp-token-5521";

    // A 1x1 PNG.
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static readonly string Script = $$"""
        import base64, lute_task
        with lute_task.connect() as lute:
            lute.started()
            lute.report(title="Peaks", html="<p id='peaks'>12 peaks</p>")
            lute.report(title="Histogram", image=base64.b64decode("{{Png}}"))
            lute.result(payload={"peaks": 12}, summary={"peaks": "12", "hit_rate": "0.3"})
            lute.done()
        """;

    private static readonly string TaskFile = $$"""
        header: { experiment: mfxl1013621, run: "12" }
        tasks:
          Peaks:
            command: [python3, task.py]
            environment: { prepend: { PYTHONPATH: "{{Repo.PythonClient}}" } }
        """;

    private static Workspace Create(Uri server, bool critical = false)
    {
        var workspace = Workspace.Create();
        workspace.Link(Repo.Plugin("Lute.Hooks.Lcls"));
        workspace.Write("task.py", Script);
        workspace.WriteConfig($$"""
            plugins:
              - name: Lute.Hooks.Lcls
                settings:
                  base_url: "{{server}}lgbk"
                  user: mfxopr
                  password: { env: ELOG_PASSWORD }
                  http: { retries: 1, retry_delay: 20ms }
            hooks:
              - { use: lcls.elog, on: [launched, started, stopped, continued, task_stopped, run_end], timeout: 30s, critical: {{(critical ? "true" : "false")}} }
            """);
        return workspace;
    }

    private static Dictionary<string, string?> Environment(Uri server) => new()
    {
        ["JID_UPDATE_COUNTERS"] = $"{server}jid/replace_counters",
        ["ARP_ROOT_JOB_ID"] = "job-7",
        ["USER"] = "arp-user",
        ["Authorization"] = ArpToken,
        ["ELOG_PASSWORD"] = Password,
    };

    [Fact]
    public async Task A_plain_command_that_never_sends_TASK_STARTED_is_posted_RUNNING_at_launch_then_its_outcome()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/lgbk/mfxl1013621/get_counters", Reply.Json("""{"success": true, "value": []}"""));
        using var workspace = Create(server.Url);

        var (code, process) = await workspace.RunTaskAsync("""
            header: { experiment: mfxl1013621, run: "12" }
            tasks:
              Plain:
                command: [sh, -c, "echo no client here"]
            """, Environment(server.Url));

        Assert.True(code == ExitCodes.Completed, process.Output);
        Assert.Equal(
            ["""[{"key":"Plain status","value":"RUNNING"}]""", """[{"key":"Plain status","value":"COMPLETED"}]"""],
            server.Requests.Where(r => r.Path == "/jid/replace_counters").Select(r => r.Text));
    }

    [Fact]
    public async Task Posts_status_counters_run_parameters_and_the_report_with_the_right_bodies_and_authentication()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/lgbk/mfxl1013621/get_counters", Reply.Json("""{"success": true, "value": [{"key": "Other status", "value": "COMPLETED"}]}"""));
        using var workspace = Create(server.Url);

        var (code, process) = await workspace.RunTaskAsync(TaskFile, Environment(server.Url));

        Assert.True(code == ExitCodes.Completed, process.Output);
        var requests = server.Requests;
        Assert.Equal(
            [
                "POST /lgbk/mfxl1013621/get_counters", "POST /jid/replace_counters",
                "POST /lgbk/mfxl1013621/get_counters", "POST /jid/replace_counters",
                "POST /lgbk/run_control/mfxl1013621/ws/add_run_params?run_num=12",
                "POST /lgbk/mfxl1013621/ws/new_elog_entry",
            ],
            requests.Select(r => $"{r.Method} {r.Path}{r.Query}"));

        var query = requests[0].Json;
        Assert.Equal("job-7", query.GetProperty("_id").GetString());
        Assert.Equal("mfxl1013621", query.GetProperty("experiment").GetString());
        Assert.Equal("12", query.GetProperty("run_num").GetString());
        Assert.Equal("arp-user", query.GetProperty("user").GetString());
        Assert.All(requests.Take(4), r => Assert.Equal(ArpToken, r.Header("Authorization")));
        Assert.Equal("""[{"key":"Other status","value":"COMPLETED"},{"key":"Peaks status","value":"RUNNING"}]""", requests[1].Text);
        Assert.Equal("""[{"key":"Other status","value":"COMPLETED"},{"key":"Peaks status","value":"COMPLETED"}]""", requests[3].Text);

        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"mfxopr:{Password}"));
        Assert.Equal("""{"hit_rate":"0.3","peaks":"12"}""", requests[4].Text);
        Assert.Equal(basic, requests[4].Header("Authorization"));

        var entry = requests[5];
        Assert.Equal(basic, entry.Header("Authorization"));
        Assert.StartsWith("Peaks (run 1) ended COMPLETED", entry.FormFields["log_text"], StringComparison.Ordinal);
        Assert.Equal("Peaks report", entry.FormFields["log_title"]);
        Assert.Equal("lute", entry.FormFields["log_tags"]);
        var (fileName, content) = entry.FormFiles["files"];
        var run = await workspace.LatestRunAsync();
        Assert.Equal(Path.GetFileName(run.ReportPath), fileName);
        var html = Encoding.UTF8.GetString(content);
        Assert.Equal(await File.ReadAllTextAsync(run.ReportPath!), html);
        Assert.Contains("<p id='peaks'>12 peaks</p>", html, StringComparison.Ordinal);
        Assert.Contains($"data:image/png;base64,{Png}", html, StringComparison.Ordinal);
        Assert.Empty(run.Undelivered);
        Assert.DoesNotContain(Password, await File.ReadAllTextAsync(run.LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_json_refusals_and_errors_from_the_elog_are_recorded_and_the_task_completes()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/lgbk/mfxl1013621/get_counters", new Reply(200, "<html>maintenance</html>", "text/html"));
        server.Answer("/lgbk/run_control/mfxl1013621/ws/add_run_params", Reply.Json("""{"success": false, "error_msg": "run 12 is closed"}"""));
        server.Answer("/lgbk/mfxl1013621/ws/new_elog_entry", Reply.Error(500));
        using var workspace = Create(server.Url);

        var (code, process) = await workspace.RunTaskAsync(TaskFile, Environment(server.Url));

        Assert.True(code == ExitCodes.Completed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/jid/replace_counters");
        var undelivered = run.Undelivered;
        Assert.Equal(["launched", "launched", "done", "done", "done", "done"], undelivered.Select(u => u.Event));
        Assert.Equal("the answer is not JSON", undelivered[0].Error);
        Assert.EndsWith("/jid/replace_counters", undelivered[1].Destination, StringComparison.Ordinal);
        Assert.StartsWith("not sent: the current counters could not be read", undelivered[1].Error, StringComparison.Ordinal);
        Assert.Equal("""[{"key":"Peaks status","value":"RUNNING"}]""", undelivered[1].Body);
        Assert.Equal("the eLog answered success: false: run 12 is closed", undelivered[4].Error);
        Assert.Equal("""{"hit_rate":"0.3","peaks":"12"}""", undelivered[4].Body);
        Assert.StartsWith("HTTP 500", undelivered[5].Error, StringComparison.Ordinal);
        Assert.Contains(run.ReportPath!, undelivered[5].Body, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count(r => r.Path.EndsWith("new_elog_entry", StringComparison.Ordinal)));
        var show = await workspace.LuteAsync("show", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(show.Process.Stdout, l => l.StartsWith("undelivered:", StringComparison.Ordinal));
        Assert.Contains(show.Process.Stdout, l => l == $"report:        {run.ReportPath}");
    }

    [Fact]
    public async Task A_critical_elog_hook_that_fails_fails_the_run_with_the_reason()
    {
        await using var server = await FacilityServer.StartAsync();
        server.Answer("/lgbk/mfxl1013621/get_counters", Reply.Error(500));
        using var workspace = Create(server.Url, critical: true);
        workspace.Write("task.py", """
            import time, lute_task
            with lute_task.connect() as lute:
                lute.started()
                time.sleep(600)
            """);

        var (code, process) = await workspace.RunTaskAsync(TaskFile.Replace("command:", "grace_period: 2s\n    command:", StringComparison.Ordinal), Environment(server.Url));

        Assert.True(code == ExitCodes.Failed, process.Output);
        var run = await workspace.LatestRunAsync();
        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.StartsWith("critical hook 'lcls.elog' failed on event 'launched': POST", run.Reason, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", run.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_kerberos_the_token_from_a_file_authenticates_run_parameters_and_counters_are_left_alone_outside_the_arp()
    {
        await using var server = await FacilityServer.StartAsync();
        using var workspace = Workspace.Create();
        workspace.Link(Repo.Plugin("Lute.Hooks.Lcls"));
        workspace.Write("task.py", Script);
        var token = workspace.Write("krb-token", "YIIKerberosTokenBase64==\n");
        workspace.WriteConfig($$"""
            hooks:
              - use: lcls.elog
                on: [started, run_end]
                timeout: 30s
                settings: { base_url: "{{server.Url}}lgbk", auth: kerberos, kerberos_token: { file: "{{token}}" }, report: false }
            """);

        var (code, process) = await workspace.RunTaskAsync(TaskFile, new Dictionary<string, string?> { ["JID_UPDATE_COUNTERS"] = null });

        Assert.True(code == ExitCodes.Completed, process.Output);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/lgbk/run_control/mfxl1013621/ws/add_run_params", request.Path);
        Assert.Equal("Negotiate YIIKerberosTokenBase64==", request.Header("Authorization"));
        Assert.DoesNotContain("YIIKerberosTokenBase64", await File.ReadAllTextAsync((await workspace.LatestRunAsync()).LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_base_url_stops_the_run_before_launch_naming_the_pack_and_the_key()
    {
        using var workspace = Workspace.Create();
        workspace.Link(Repo.Plugin("Lute.Hooks.Lcls"));
        workspace.WriteConfig("""
            hooks:
              - { use: lcls.elog, settings: { user: opr, password: { env: ELOG_PASSWORD } } }
            """);

        var (code, process) = await workspace.RunTaskAsync(TaskFile, new Dictionary<string, string?> { ["ELOG_PASSWORD"] = Password });

        Assert.True(code == ExitCodes.BadInput, process.Output);
        Assert.Contains(process.Stderr, l => l.Contains("plugin Lute.Hooks.Lcls could not create hook 'lcls.elog': setting 'base_url' is required", StringComparison.Ordinal));
        Assert.False(File.Exists(workspace.StorePath));
    }
}

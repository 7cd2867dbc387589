using Lute.Contracts;
using Lute.Host.Running;
using Lute.Host.Store;
using Lute.Tests.Integration;
using Lute.Tests.Support;
using OpenQA.Selenium;

namespace Lute.Tests.Dashboard;

/// <summary>
/// <c>lute dashboard</c> in a real browser (Debian's Chromium, headless, through ChromeDriver): a run started during
/// the test appears and finishes on the page without a reload, a filter narrows the list, the cancel button ends a
/// running task, and hostile names show as text and run nothing. With LUTE_SCREENSHOTS=DIR the pages are saved there
/// (docs/images holds the ones of docs/dashboard.md).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class DashboardBrowserSpecs
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_run_started_during_the_test_appears_and_turns_COMPLETED_without_a_reload()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 12, i => (StoreSeed.Run(i % 2 == 0 ? "FindPeaks" : "Index", i * 7), i == 4 ? RunStatus.Failed : RunStatus.Completed, 30 + (i * 11)));
        await using var server = await DashboardServer.StartAsync(workspace);
        using var browser = Browser.Start();
        browser.Open(server.LoginAddress("/"));
        browser.WaitUntil(d => d.FindElement(By.Id("run-12")), Wait, "the stored runs");
        var script = (IJavaScriptExecutor)browser.Driver;
        script.ExecuteScript("window.luteTestMark = 'same page';");

        var gate = workspace.MakeFifo("gate");
        var tasks = workspace.Write("tasks.yaml", $$"""
            tasks:
              Merge:
                command: [sh, -c, 'echo merging; read line < "$0"', "{{gate}}"]
            """);
        using var lute = workspace.Start(["run", tasks]);
        browser.WaitUntil(d => d.FindElement(By.CssSelector("#run-13 td.task")).Text == "Merge", Wait, "the new run's row");
        browser.WaitUntil(d => d.FindElement(By.CssSelector("#run-13 .status")).GetAttribute("data-status") == "RUNNING", Wait, "run 13 RUNNING");
        Assert.Equal("13", browser.Driver.FindElement(By.Id("count")).Text);
        Screenshot(browser, "dashboard-runs.png");

        await File.WriteAllTextAsync(gate, "go\n");
        Assert.True(await lute.WaitForExitAsync(Workspace.DefaultTimeout) == ExitCodes.Completed, lute.Output);
        browser.WaitUntil(d => d.FindElement(By.CssSelector("#run-13 .status")).GetAttribute("data-status") == "COMPLETED", Wait, "run 13 COMPLETED");
        Assert.NotEqual("-", browser.Driver.FindElement(By.CssSelector("#run-13 td.duration")).Text);
        Assert.Equal("same page", script.ExecuteScript("return window.luteTestMark;"));
        Assert.Empty(browser.ConsoleErrors());
    }

    [Fact]
    public async Task A_filter_narrows_the_list_and_plots_draw_the_same_runs()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 9, i => (StoreSeed.Run(i % 3 == 0 ? "Merge" : "Index", i * 5), i == 3 ? RunStatus.Failed : RunStatus.Completed, 2 + i));
        await using var server = await DashboardServer.StartAsync(workspace);
        using var browser = Browser.Start();
        browser.Open(server.LoginAddress("/"));
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#runs tbody tr")).Count == 9, Wait, "9 runs");

        var task = browser.Driver.FindElement(By.CssSelector("#filter input[name=task]"));
        task.SendKeys("Merge");
        task.Submit();
        browser.WaitUntil(d => d.Url.Contains("task=Merge", StringComparison.Ordinal), Wait, "the filtered address");
        var tasks = browser.Driver.FindElements(By.CssSelector("#runs tbody td.task")).Select(e => e.Text).ToList();
        Assert.Equal(["Merge", "Merge", "Merge"], tasks);
        Assert.Equal("3", browser.Driver.FindElement(By.Id("count")).Text);
        Assert.Equal("Merge", browser.Driver.FindElement(By.CssSelector("#filter input[name=task]")).GetAttribute("value"));

        browser.Open(new Uri(server.Address, "/plots"));
        var bars = browser.Driver.FindElements(By.CssSelector("#outcomes rect.bar"));
        Assert.Equal(3, bars.Count); // Index COMPLETED, Merge COMPLETED, Merge FAILED
        Assert.Equal(9, browser.Driver.FindElements(By.CssSelector("#durations circle.dot")).Count);
        Screenshot(browser, "dashboard-plots.png");
        Assert.Empty(browser.ConsoleErrors());
    }

    [Fact]
    public async Task The_cancel_button_ends_a_running_task_and_its_page_follows_the_log_and_the_status_live()
    {
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 1, _ => (StoreSeed.Run("Index", 0), RunStatus.Completed, 3));
        var tasks = workspace.Write("tasks.yaml", """
            tasks:
              Calibrate:
                command: [sh, -c, 'echo "panel 1 done"; sleep 0.3; echo "panel 2 done"; exec sleep 300']
            """);
        using var lute = workspace.Start(["run", tasks]);
        await lute.WaitForLineAsync(l => l.EndsWith("panel 2 done", StringComparison.Ordinal), Workspace.DefaultTimeout);
        await using var server = await DashboardServer.StartAsync(workspace);
        using var browser = Browser.Start();
        browser.Open(server.LoginAddress("/runs/2"));
        browser.WaitUntil(d => d.FindElement(By.Id("log")).Text.Contains("panel 2 done", StringComparison.Ordinal), Wait, "the task's lines in the log");
        Assert.Equal("RUNNING", browser.Driver.FindElement(By.CssSelector("#status .status")).GetAttribute("data-status"));
        Screenshot(browser, "dashboard-run.png");

        browser.Driver.FindElement(By.Id("cancel")).Click();
        browser.WaitUntil(d => d.FindElement(By.Id("confirm")), Wait, "the confirmation");
        Screenshot(browser, "dashboard-confirm.png");
        browser.Driver.FindElement(By.Id("confirm")).Click();
        browser.WaitUntil(d => d.FindElement(By.Id("asked")), Wait, "the notice that the runner was asked");
        Assert.Equal(ExitCodes.Cancelled, await lute.WaitForExitAsync(Workspace.DefaultTimeout));
        browser.WaitUntil(d => d.FindElement(By.CssSelector("#status .status")).GetAttribute("data-status") == "CANCELLED", Wait, "CANCELLED, without a reload");
        browser.WaitUntil(d => d.FindElement(By.Id("log")).Text.Contains("Run 2 ended", StringComparison.Ordinal), Wait, "the runner's last line");
        Assert.Empty(browser.Driver.FindElements(By.CssSelector(".actions")));
        var run = (await workspace.RunsAsync()).Single(r => r.Id == 2);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Contains("Asked the runner of run 2", server.Process.Output, StringComparison.Ordinal);
        Assert.Empty(browser.ConsoleErrors());
    }

    [Fact]
    public async Task Hostile_names_and_lines_show_as_text_and_run_nothing_in_the_list_the_run_page_and_the_plots()
    {
        const string Hostile = "<img src=x onerror=\"window.lutePwned=1\"><script>window.lutePwned=2</script>'\"&amp;";
        using var workspace = Workspace.Create();
        await StoreSeed.AddAsync(workspace.StorePath, 1, _ => (StoreSeed.Run(Hostile, 0, host: Hostile, experiment: Hostile) with { Description = Hostile }, RunStatus.Failed, 2));
        await using var server = await DashboardServer.StartAsync(workspace);
        using var browser = Browser.Start();
        var script = (IJavaScriptExecutor)browser.Driver;
        browser.Open(server.LoginAddress("/?task=" + Uri.EscapeDataString(Hostile)));
        Assert.Equal(Hostile, browser.WaitUntil(d => d.FindElement(By.CssSelector("#run-1 td.task")), Wait, "the run").Text);
        Assert.Equal(Hostile, browser.Driver.FindElement(By.CssSelector("#filter input[name=task]")).GetAttribute("value"));

        // A hostile run recorded while the page is open arrives through the live stream: text too.
        await using (var store = await SqliteRunRecorder.OpenAsync(workspace.StorePath))
        {
            await store.StartedAsync(StoreSeed.Run(Hostile, 1, host: Hostile) with { StartedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        }

        Assert.Equal(Hostile, browser.WaitUntil(d => d.FindElement(By.CssSelector("#run-2 td.task")), Wait, "the live run").Text);
        foreach (var page in new[] { "/runs/1", "/plots", "/runs/2/cancel" })
        {
            browser.Open(new Uri(server.Address, page));
            Assert.Contains(Hostile, browser.Driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
            Assert.Null(script.ExecuteScript("return window.lutePwned ?? null;"));
        }

        Assert.Null(script.ExecuteScript("return window.lutePwned ?? null;"));
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("main img, main script")));
    }

    private static void Screenshot(Browser browser, string name)
    {
        if (Environment.GetEnvironmentVariable("LUTE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            browser.Screenshot(Path.Combine(folder, name));
        }
    }
}

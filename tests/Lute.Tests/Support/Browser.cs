using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Lute.Tests.Support;

/// <summary>
/// Headless Chromium driven through ChromeDriver, for tests that need a real browser (CSP enforcement, EventSource,
/// forms). Each instance has its own throw-away folder holding the profile (user-data-dir), the disk cache, and the
/// HOME and TMPDIR of ChromeDriver and the browser it starts, so tests never share state and leave nothing behind.
/// Chromium and ChromeDriver come from Debian's packages (scripts/install-test-deps.sh); when they are missing the
/// test fails, it is never skipped.
/// </summary>
internal sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ChromeDriverService _service;
    private readonly ChromeDriver _driver;
    private readonly string _root;
    private readonly string _profile;
    private bool _disposed;

    private Browser(ChromeDriverService service, ChromeDriver driver, string root, string profile)
    {
        _service = service;
        _driver = driver;
        _root = root;
        _profile = profile;
    }

    /// <summary>The WebDriver session.</summary>
    public IWebDriver Driver => _driver;

    /// <summary>The process id of ChromeDriver (the browser runs as its child).</summary>
    public int DriverProcessId => _service.ProcessId;

    /// <summary>Starts a headless browser with a 1280x900 window.</summary>
    public static Browser Start()
    {
        foreach (var program in new[] { ChromiumPath, ChromeDriverPath })
        {
            if (!File.Exists(program))
            {
                throw new InvalidOperationException(
                    $"{program} is missing: the browser tests need Debian's chromium and chromium-driver packages; install them with scripts/install-test-deps.sh");
            }
        }

        var root = Directory.CreateTempSubdirectory("lute-browser-").FullName;
        var home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
        var tmp = Directory.CreateDirectory(Path.Combine(root, "tmp")).FullName;
        var profile = Directory.CreateDirectory(Path.Combine(root, "profile")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(root, "cache")).FullName;

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        service.DriverProcessStarting += (_, e) =>
        {
            // ChromeDriver passes its environment on to the browser: both write only into this instance's folder.
            var environment = e.DriverServiceProcessStartInfo.Environment;
            environment["HOME"] = home;
            environment["TMPDIR"] = tmp;
            environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
            environment["XDG_CACHE_HOME"] = Path.Combine(home, ".cache");
            environment["SE_OFFLINE"] = "true";
            environment["SE_AVOID_STATS"] = "true";
        };

        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            $"--user-data-dir={profile}",
            $"--disk-cache-dir={cache}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);

        ChromeDriver driver;
        try
        {
            driver = new ChromeDriver(service, options, StartTimeout);
        }
        catch
        {
            service.Dispose();
            KillLeftovers(service, profile);
            DeleteFolder(root);
            throw;
        }

        return new Browser(service, driver, root, profile);
    }

    /// <summary>Opens <paramref name="url"/> and returns once the page has loaded.</summary>
    public void Open(Uri url) => _driver.Navigate().GoToUrl(url);

    /// <summary>
    /// Waits until <paramref name="condition"/> returns a value other than null or false, and returns it; after
    /// <paramref name="timeout"/> fails with <paramref name="what"/>, the page's address and the start of its text.
    /// </summary>
    public T WaitUntil<T>(Func<IWebDriver, T?> condition, TimeSpan timeout, string what)
    {
        var wait = new WebDriverWait(_driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(driver => condition(driver))!;
        }
        catch (WebDriverTimeoutException e)
        {
            throw new TimeoutException(
                $"the browser did not show {what} within {timeout}; page {_driver.Url} shows:\n{Excerpt(PageText(), 600)}", e);
        }
    }

    /// <summary>Saves a PNG screenshot of the window to <paramref name="path"/>.</summary>
    public void Screenshot(string path) => _driver.GetScreenshot().SaveAsFile(path);

    /// <summary>
    /// The browser console's SEVERE entries since the last call (ChromeDriver hands each entry out once): uncaught
    /// errors, failed loads, and Content-Security-Policy violations.
    /// </summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. _driver.Manage().Logs.GetLog(LogType.Browser).Where(entry => entry.Level == LogLevel.Severe).Select(entry => entry.Message)];

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            _driver.Quit();
        }
        catch (WebDriverException)
        {
            // The session is gone already; what is left of its processes is ended below.
        }
        finally
        {
            _driver.Dispose();
            _service.Dispose();
            KillLeftovers(_service, _profile);
            DeleteFolder(_root);
        }
    }

    /// <summary>
    /// Quit ends ChromeDriver and the browser; should any survive, kills them: ChromeDriver by the id the service
    /// started it with, the browser's processes by their command line, which names this instance's own profile folder.
    /// </summary>
    private static void KillLeftovers(ChromeDriverService service, string profile)
    {
        var ours = new List<int>();
        if (service.ProcessId > 0)
        {
            ours.Add(service.ProcessId);
        }

        var marker = $"--user-data-dir={profile}";
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0');
                if (arguments.Contains(marker, StringComparer.Ordinal))
                {
                    ours.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being looked at.
            }
        }

        foreach (var pid in ours.Distinct())
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A browser process may still be writing while it exits; one more try after it had a moment.
            Thread.Sleep(200);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private string PageText()
    {
        try
        {
            return _driver.FindElement(By.TagName("body")).Text;
        }
        catch (WebDriverException e)
        {
            return $"(no page text: {e.Message})";
        }
    }

    private static string Excerpt(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");
}

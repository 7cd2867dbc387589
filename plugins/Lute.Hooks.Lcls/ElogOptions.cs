using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Lute.Hooks.Support;
using Microsoft.Extensions.Configuration;

namespace Lute.Hooks.Lcls;

/// <summary>How <c>lcls.elog</c> authenticates its run-table and logbook posts.</summary>
internal enum ElogAuthentication
{
    /// <summary>HTTP basic: an operator account (<c>user</c> and <c>password</c>).</summary>
    Basic,

    /// <summary>A Kerberos token sent as <c>Authorization: Negotiate TOKEN</c> (<c>kerberos_token</c>).</summary>
    Kerberos,

    /// <summary>No authentication (a test or an open logbook).</summary>
    None,
}

/// <summary>The settings of <c>lcls.elog</c>.</summary>
internal sealed class ElogOptions : IValidatableObject
{
    [Description("The eLog's base URL, for example https://pswww.slac.stanford.edu/ws-auth/lgbk/lgbk.")]
    [ConfigurationKeyName("base_url")]
    [Required]
    [HttpUrl]
    public string? BaseUrl { get; set; }

    [Description("The experiment; the task file's header.experiment, else $EXPERIMENT, when absent.")]
    public string? Experiment { get; set; }

    [Description("The experiment's run; the task file's header.run, else $RUN_NUM, when absent.")]
    public string? Run { get; set; }

    [Description("How run-table and logbook posts authenticate.")]
    public ElogAuthentication Auth { get; set; } = ElogAuthentication.Basic;

    [Description("The operator account (basic authentication).")]
    public string? User { get; set; }

    [Description("The operator account's password: { env: VARIABLE } or { file: PATH }.")]
    public SecretSource? Password { get; set; }

    [Description("The Kerberos token: { env: VARIABLE } or { file: PATH }.")]
    [ConfigurationKeyName("kerberos_token")]
    public SecretSource? KerberosToken { get; set; }

    [Description("Run status counters (the ARP's job counters).")]
    public ElogStatusOptions Status { get; set; } = new();

    [Description("Post the run's summary key/values as run-table parameters when the run ends.")]
    [ConfigurationKeyName("run_params")]
    public bool RunParams { get; set; } = true;

    [Description("Post the run's report as a logbook entry when the run ends.")]
    public bool Report { get; set; } = true;

    [Description("Tags of the report's logbook entry.")]
    [ConfigurationKeyName("report_tags")]
    public List<string> ReportTags { get; set; } = ["lute"];

    [Description("Time limits and retries.")]
    public HttpDeliveryOptions Http { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Auth == ElogAuthentication.Basic && string.IsNullOrEmpty(User))
        {
            yield return new ValidationResult("is required with auth: basic (the operator account)", [nameof(User)]);
        }

        if (Auth == ElogAuthentication.Basic && Password is null)
        {
            yield return new ValidationResult("is required with auth: basic ({ env: VARIABLE } or { file: PATH })", [nameof(Password)]);
        }

        if (Auth == ElogAuthentication.Kerberos && KerberosToken is null)
        {
            yield return new ValidationResult("is required with auth: kerberos ({ env: VARIABLE } or { file: PATH })", [nameof(KerberosToken)]);
        }
    }
}

/// <summary>
/// Where the run status counters come from. Under the ARP the job's environment names them: the update URL, the
/// root job id, the run and the token; the names are LUTE's.
/// </summary>
internal sealed class ElogStatusOptions
{
    [Description("Post status counters at all.")]
    public bool Enabled { get; set; } = true;

    [Description("The environment variable with the URL that replaces the counters.")]
    [ConfigurationKeyName("url_env")]
    [Required]
    public string UrlEnv { get; set; } = "JID_UPDATE_COUNTERS";

    [Description("The environment variable with the ARP's root job id.")]
    [ConfigurationKeyName("job_id_env")]
    [Required]
    public string JobIdEnv { get; set; } = "ARP_ROOT_JOB_ID";

    [Description("The environment variable with the user the ARP runs for.")]
    [ConfigurationKeyName("user_env")]
    [Required]
    public string UserEnv { get; set; } = "USER";

    [Description("The environment variable with the value of the counters' Authorization header.")]
    [ConfigurationKeyName("authorization_env")]
    [Required]
    public string AuthorizationEnv { get; set; } = "Authorization";
}

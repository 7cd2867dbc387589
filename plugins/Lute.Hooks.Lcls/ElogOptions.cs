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
    /// <summary>The eLog's base URL, for example <c>https://pswww.slac.stanford.edu/ws-auth/lgbk/lgbk</c>.</summary>
    [ConfigurationKeyName("base_url")]
    [Required]
    [HttpUrl]
    public string? BaseUrl { get; set; }

    /// <summary>The experiment; the task file's <c>header.experiment</c>, else <c>$EXPERIMENT</c>, when absent.</summary>
    public string? Experiment { get; set; }

    /// <summary>The experiment's run; the task file's <c>header.run</c>, else <c>$RUN_NUM</c>, when absent.</summary>
    public string? Run { get; set; }

    /// <summary>How run-table and logbook posts authenticate.</summary>
    public ElogAuthentication Auth { get; set; } = ElogAuthentication.Basic;

    /// <summary>The operator account (basic authentication).</summary>
    public string? User { get; set; }

    /// <summary>The operator account's password: <c>{ env: VARIABLE }</c> or <c>{ file: PATH }</c>.</summary>
    public SecretSource? Password { get; set; }

    /// <summary>The Kerberos token: <c>{ env: VARIABLE }</c> or <c>{ file: PATH }</c>.</summary>
    [ConfigurationKeyName("kerberos_token")]
    public SecretSource? KerberosToken { get; set; }

    /// <summary>Run status counters (the ARP's job counters).</summary>
    public ElogStatusOptions Status { get; set; } = new();

    /// <summary>Post the run's summary key/values as run-table parameters when the run ends.</summary>
    [ConfigurationKeyName("run_params")]
    public bool RunParams { get; set; } = true;

    /// <summary>Post the run's report as a logbook entry when the run ends.</summary>
    public bool Report { get; set; } = true;

    /// <summary>Tags of the report's logbook entry.</summary>
    [ConfigurationKeyName("report_tags")]
    public List<string> ReportTags { get; set; } = ["lute"];

    /// <summary>Time limits and retries.</summary>
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
    /// <summary>Post status counters at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The environment variable with the URL that replaces the counters.</summary>
    [ConfigurationKeyName("url_env")]
    [Required]
    public string UrlEnv { get; set; } = "JID_UPDATE_COUNTERS";

    /// <summary>The environment variable with the ARP's root job id.</summary>
    [ConfigurationKeyName("job_id_env")]
    [Required]
    public string JobIdEnv { get; set; } = "ARP_ROOT_JOB_ID";

    /// <summary>The environment variable with the user the ARP runs for.</summary>
    [ConfigurationKeyName("user_env")]
    [Required]
    public string UserEnv { get; set; } = "USER";

    /// <summary>The environment variable with the value of the counters' <c>Authorization</c> header.</summary>
    [ConfigurationKeyName("authorization_env")]
    [Required]
    public string AuthorizationEnv { get; set; } = "Authorization";
}

using System.Management.Automation;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine;

/// <summary>Every user-facing error the engine raises: ids, categories and messages in one place.</summary>
public static class SmaErrors
{
    /// <summary>How a refused start ends its message; a refused schedule link says "No link was created." instead.</summary>
    private const string NoJobCreated = "No job was created.";

    /// <summary>A parameter error met while linking a runbook to a schedule: the same error, saying no link was made.</summary>
    public static SmaException ForScheduleLink(SmaException e) =>
        new(e.ErrorId, e.Category, e.Message.Replace(NoJobCreated, "No link was created."), e.Target, e.InnerException);

    public static SmaException RunbookNotFound(string name) => new(
        "RunbookNotFound", ErrorCategory.ObjectNotFound,
        $"Runbook '{name}' was not found in the store. Use Get-SmaRunbook to list runbooks, or Import-SmaRunbook to add it.",
        name);

    public static SmaException RunbookIdNotFound(Guid id) => new(
        "RunbookNotFound", ErrorCategory.ObjectNotFound,
        $"No runbook has the id '{id}'. Use Get-SmaRunbook to list runbooks.", id);

    public static SmaException RunbookNotPublished(string name) => new(
        "RunbookNotPublished", ErrorCategory.InvalidOperation,
        $"Runbook '{name}' has no published version, so it cannot be started. Run Publish-SmaRunbook -Name '{name}' first.",
        name);

    public static SmaException RunbookAlreadyExists(string name) => new(
        "RunbookAlreadyExists", ErrorCategory.ResourceExists,
        $"A runbook named '{name}' already exists. Use -Force to replace its source with a new version, Edit-SmaRunbook to " +
        "change its draft, or import under another -Name.",
        name);

    public static SmaException NoDraft(string name) => new(
        "RunbookHasNoDraft", ErrorCategory.InvalidOperation,
        $"Runbook '{name}' has no draft to publish. Use Edit-SmaRunbook to create one.", name);

    public static SmaException DraftExists(string name) => new(
        "RunbookDraftExists", ErrorCategory.ResourceExists,
        $"Runbook '{name}' already has a draft. Use -Overwrite to replace it, or Publish-SmaRunbook first.", name);

    public static SmaException NoPublishedVersion(string name) => new(
        "RunbookNotPublished", ErrorCategory.ObjectNotFound,
        $"Runbook '{name}' has no published version. Use -Type Draft, or Publish-SmaRunbook first.", name);

    public static SmaException VersionNotFound(Guid id) => new(
        "RunbookVersionNotFound", ErrorCategory.ObjectNotFound,
        $"No runbook version has the id '{id}'.", id);

    public static SmaException RunbookFileNotFound(string path) => new(
        "RunbookFileNotFound", ErrorCategory.ObjectNotFound,
        $"The runbook file '{path}' does not exist.", path);

    public static SmaException RunbookFileEmpty(string path) => new(
        "RunbookFileEmpty", ErrorCategory.InvalidData,
        $"The runbook file '{path}' is empty; a runbook needs PowerShell source.", path);

    public static SmaException RunbookFileBinary(string path) => new(
        "RunbookFileNotText", ErrorCategory.InvalidData,
        $"The runbook file '{path}' is not a text file (it contains NUL bytes or invalid UTF-8); a runbook must be PowerShell source.",
        path);

    public static SmaException RunbookSyntaxError(string name, string details) => new(
        "RunbookSyntaxError", ErrorCategory.ParserError,
        $"Runbook '{name}' has syntax errors; nothing was imported. {details}", name);

    public static SmaException WorkflowSourceNotSupported(string name) => new(
        "WorkflowSourceNotSupported", ErrorCategory.NotImplemented,
        $"Runbook '{name}' is PowerShell Workflow source ('workflow {name} {{ ... }}'), which PowerShell 7 cannot run and which " +
        "is not converted yet. Rewrite it as a script (Checkpoint-Workflow works in scripts) and import it with -RunbookType Workflow.",
        name);

    public static SmaException InvalidRunbookName(string name) => new(
        "InvalidRunbookName", ErrorCategory.InvalidArgument,
        $"'{name}' is not a valid runbook name: use letters, digits, '-' and '_', starting with a letter (letters of any " +
        "language; at most 128 characters; no spaces, quotes or path characters).",
        name);

    public static SmaException UnknownParameter(string runbookName, string name, IReadOnlyList<string> declared) => new(
        "UnknownParameter", ErrorCategory.InvalidArgument,
        $"Runbook '{runbookName}' has no parameter named '{name}'. " +
        (declared.Count == 0 ? "It takes no parameters." : $"Its parameters are: {string.Join(", ", declared)}.") +
        " " + NoJobCreated,
        name);

    public static SmaException DuplicateParameter(string runbookName, string name, string given) => new(
        "DuplicateParameter", ErrorCategory.InvalidArgument,
        $"Parameter '{name}' of runbook '{runbookName}' was given more than once (by name or alias). {NoJobCreated}",
        given);

    public static SmaException InvalidParameterValue(string runbookName, string name, Type type, string value, string given) => new(
        "InvalidParameterValue", ErrorCategory.InvalidArgument,
        $"The value '{value}' of parameter '{name}' of runbook '{runbookName}' cannot be converted to the declared type " +
        $"[{type.Name}]. {NoJobCreated}",
        given);

    public static SmaException MissingMandatoryParameter(string runbookName, IReadOnlyList<string> missing) => new(
        "MissingMandatoryParameter", ErrorCategory.InvalidArgument,
        $"Runbook '{runbookName}' requires {(missing.Count == 1 ? "parameter" : "parameters")} " +
        $"{string.Join(", ", missing.Select(m => $"'{m}'"))}; pass {(missing.Count == 1 ? "it" : "them")} in -Parameters. " +
        NoJobCreated,
        missing[0]);

    /// <summary><paramref name="chain"/>: the calls from the started runbook to the runbook that calls itself again.</summary>
    public static SmaException ChildRunbookCycle(IReadOnlyList<string> chain) => new(
        "ChildRunbookCycle", ErrorCategory.InvalidOperation,
        $"Runbook '{chain[^1]}' calls itself through inline child runbooks: {string.Join(" -> ", chain)}. A runbook cannot " +
        "run inside itself; remove the call, or start it as a separate job with Start-SmaRunbook. No job was created.",
        chain[^1]);

    /// <summary><paramref name="chain"/>: the calls from the started runbook to the child that is not published.</summary>
    public static SmaException ChildRunbookNotPublished(IReadOnlyList<string> chain) => new(
        "ChildRunbookNotPublished", ErrorCategory.InvalidOperation,
        $"Runbook '{chain[^2]}' calls runbook '{chain[^1]}' inline ({string.Join(" -> ", chain)}), but '{chain[^1]}' has no " +
        $"published version. Run Publish-SmaRunbook -Name '{chain[^1]}' first. No job was created.",
        chain[^1]);

    public static SmaException ChildRunbookVersionMissing(string name, Guid versionId) => new(
        "ChildRunbookVersionMissing", ErrorCategory.ObjectNotFound,
        $"Version '{versionId}' of runbook '{name}', which this job runs inline, is no longer in the store.", versionId);

    public static SmaException InvalidWorkerName(string name) => new(
        "InvalidWorkerName", ErrorCategory.InvalidArgument,
        $"'{name}' is not a valid worker name: use letters, digits, '.', '-' and '_' (at most 128 characters).", name);

    public static SmaException WorkerNameInUse(string name, string computer, int processId) => new(
        "WorkerNameInUse", ErrorCategory.ResourceExists,
        $"A worker named '{name}' is already running (process {processId} on {computer}). Stop it with Stop-SmaWorker " +
        "-Name first, or choose another -Name.", name);

    public static SmaException WorkerNotRunning(string name) => new(
        "WorkerNotRunning", ErrorCategory.ObjectNotFound,
        $"No worker named '{name}' is running. Get-SmaRunbookWorkerDeployment lists the workers.", name);

    public static SmaException PinnedWorkerUnavailable(string runbookName, string worker) => new(
        "RunbookWorkerUnavailable", ErrorCategory.ResourceUnavailable,
        $"Runbook '{runbookName}' must run on worker '{worker}', which is not available, so the job failed at once. " +
        $"Start it with Start-SmaWorker -Name {worker}, or clear the pin: Set-SmaRunbookConfiguration -Name {runbookName} -RunbookWorker $null.",
        worker);

    public static SmaException JobNotFound(Guid id) => new(
        "JobNotFound", ErrorCategory.ObjectNotFound,
        $"No job has the id '{id}'. Use Get-SmaJob to list jobs.", id);

    public static SmaException InvalidJobId(string text) => new(
        "InvalidJobId", ErrorCategory.InvalidArgument,
        $"'{text}' is not a valid job id; a job id is a GUID such as '{Guid.Empty}'.", text);

    public static SmaException JobNotFinished(Guid jobId, string status) => new(
        "JobNotFinished", ErrorCategory.InvalidOperation,
        $"Job '{jobId}' is {status}; only Completed, Failed or Stopped jobs can be removed. Stop it first with Stop-SmaJob.",
        jobId);

    public static SmaException InvalidSeedJob(string why, object? target) => new(
        "InvalidSeedJob", ErrorCategory.InvalidArgument,
        $"The seeded job is not one the engine could have produced, so nothing was written: {why}", target);

    public static SmaException InvalidAdminSetting(string name, int value, int min, int max) => new(
        "InvalidAdminConfigurationValue", ErrorCategory.InvalidArgument,
        $"{name} must be between {min} and {max}; {value} is not. The configuration was left unchanged.", value);

    public static SmaException NoAdminSettingGiven() => new(
        "NoAdminSettingGiven", ErrorCategory.InvalidArgument,
        "Set-SmaAdminConfiguration needs a setting to change: give -PurgeJobsOlderThanCountDays, -MaxJobRecords, or both.",
        null);

    public static SmaException DashboardFolderMissing(string path) => new(
        "DashboardFolderMissing", ErrorCategory.ObjectNotFound,
        $"The folder of '{path}' does not exist, so the dashboard was not written. Create the folder first, or choose a " +
        "-Path in an existing folder.", path);

    public static SmaException DashboardPathIsFolder(string path) => new(
        "DashboardPathIsFolder", ErrorCategory.InvalidArgument,
        $"'{path}' is a folder; -Path names the HTML file to write, e.g. '{Path.Combine(path, "dashboard.html")}'.", path);

    public static SmaException DashboardPathNotFileSystem(string path, string provider) => new(
        "DashboardPathNotFileSystem", ErrorCategory.InvalidArgument,
        $"'{path}' is on the {provider} drive; -Path must be a file system path.", path);

    public static SmaException DashboardWriteFailed(string path, Exception inner) => new(
        "DashboardWriteFailed", ErrorCategory.WriteError,
        $"The dashboard could not be written to '{path}': {inner.Message}", path, inner);

    public static SmaException ScheduleNotFound(string name) => new(
        "ScheduleNotFound", ErrorCategory.ObjectNotFound,
        $"Schedule '{name}' was not found. Use Get-SmaSchedule to list schedules, or create it with Set-SmaSchedule -Name " +
        "-ScheduleType -StartTime (or -HourInterval, -WeekInterval, -Cron).", name);

    public static SmaException InvalidScheduleName(string name) => new(
        "InvalidScheduleName", ErrorCategory.InvalidArgument,
        $"'{name}' is not a valid schedule name: use at most 128 characters, no control characters and no wildcard " +
        "characters (* ? [ ]). Nothing was created.", name);

    public static SmaException ScheduleStartInPast(string name, DateTime start, DateTime now) => new(
        "ScheduleStartInPast", ErrorCategory.InvalidArgument,
        $"One-time schedule '{name}' would start at {start:u}, which is in the past (it is {now:u} now, UTC). Give a " +
        "-StartTime in the future. Nothing was created.", start);

    public static SmaException ScheduleStartTimeRequired(string name) => new(
        "ScheduleStartTimeRequired", ErrorCategory.InvalidArgument,
        $"Schedule '{name}' needs a -StartTime (only cron schedules may omit it). Nothing was created.", name);

    public static SmaException ScheduleExpiryBeforeStart(string name, DateTime start, DateTime expiry) => new(
        "ScheduleExpiryBeforeStart", ErrorCategory.InvalidArgument,
        $"The expiry time {expiry:u} of schedule '{name}' is not after its start time {start:u} (UTC). Give an " +
        "-ExpiryTime after the -StartTime, or none. Nothing was created.", expiry);

    public static SmaException InvalidScheduleInterval(string name, string parameter, int value) => new(
        "InvalidScheduleInterval", ErrorCategory.InvalidArgument,
        $"-{parameter} of schedule '{name}' must be 1 or more; {value} is not. Nothing was created.", value);

    public static SmaException InvalidCronExpression(string expression, string why) => new(
        "InvalidCronExpression", ErrorCategory.InvalidArgument,
        $"'{expression}' is not a valid cron expression ({why.TrimEnd('.')}). Use five fields, minute hour day-of-month " +
        "month day-of-week (e.g. '0 9 * * MON-FRI'), six with seconds first, or a macro such as '@daily'. Nothing was created.",
        expression);

    public static SmaException UnknownTimeZone(string id) => new(
        "UnknownTimeZone", ErrorCategory.InvalidArgument,
        $"'{id}' is not a time zone this machine knows. Use an IANA id such as 'Europe/Berlin' or a Windows id such as " +
        "'W. Europe Standard Time' (Get-TimeZone -ListAvailable lists them). Nothing was created.", id);

    public static SmaException ScheduleCannotChange(string name, string what) => new(
        "ScheduleCannotChange", ErrorCategory.InvalidOperation,
        $"Schedule '{name}' already exists with another {what}. As in SMA, only -Description (and -IsEnabled) change on " +
        "an existing schedule: to change its type or times, remove it with Remove-SmaSchedule (which also removes its " +
        "links) and create it again, or use another -Name. The schedule was left unchanged.", name);

    public static SmaException ScheduleAlreadyExists(string name) => new(
        "ScheduleAlreadyExists", ErrorCategory.ResourceExists,
        $"A schedule named '{name}' was just created by someone else. Run the command again to update its description.",
        name);

    public static SmaException NoScheduleChangeGiven(string name) => new(
        "NoScheduleChangeGiven", ErrorCategory.InvalidArgument,
        $"Set-SmaSchedule -Name '{name}' needs something to set: -Description or -IsEnabled on an existing schedule, or " +
        "-ScheduleType and -StartTime (or -HourInterval, -WeekInterval, -Cron) to create one.", name);

    public static SmaException ScheduleExpired(string name) => new(
        "ScheduleExpired", ErrorCategory.InvalidOperation,
        $"Schedule '{name}' has no occurrence left (a one-time schedule that has run, or one past its expiry time), so a " +
        "runbook linked to it would never start. Create a new schedule with Set-SmaSchedule. No link was created.", name);

    public static SmaException RunbookAlreadyScheduled(string runbookName, string scheduleName) => new(
        "RunbookAlreadyScheduled", ErrorCategory.ResourceExists,
        $"Runbook '{runbookName}' is already linked to schedule '{scheduleName}'. To link it with other parameter values, " +
        $"remove the link first: Remove-SmaScheduledRunbook -RunbookName {runbookName} -ScheduleName '{scheduleName}'. " +
        "No link was created.", runbookName);

    public static SmaException ScheduledRunbookNotFound(string runbookName, string scheduleName) => new(
        "ScheduledRunbookNotFound", ErrorCategory.ObjectNotFound,
        $"Runbook '{runbookName}' is not linked to schedule '{scheduleName}'. Get-SmaScheduledRunbook lists the links.",
        runbookName);

    public static SmaException ScheduleWithWait(string scheduleName) => new(
        "ScheduleNameWithWait", ErrorCategory.InvalidArgument,
        $"-ScheduleName links the runbook to schedule '{scheduleName}' and starts no job now, so there is nothing to " +
        "-Wait for. Omit -Wait (or -ScheduleName to start a job now). No link was created.", scheduleName);

    public static SmaException InvalidTransition(Guid jobId, JobStatus from, JobTrigger trigger) => new(
        "InvalidJobStateTransition", ErrorCategory.InvalidOperation,
        $"Job '{jobId}' is {from}; {Describe(trigger)} is not possible in that status, so the job was left unchanged.",
        jobId);

    public static SmaException RemoteEndpointNotSupported(string endpoint, string storePath) => new(
        "RemoteEndpointNotSupported", ErrorCategory.NotImplemented,
        $"The web service endpoint '{endpoint}' is remote: remote SMA web service endpoints are not supported yet; " +
        $"omit -WebServiceEndpoint to use the local store at {storePath}.",
        endpoint);

    public static SmaException StoreNotAStore(string path, string why) => new(
        "StoreNotRecognized", ErrorCategory.InvalidData,
        $"The file '{path}' is not an Sma store ({why}); it was not modified. Point $env:SMA_STORE at another file.", path);

    public static SmaException StoreTooNew(string path, int found, int known) => new(
        "StoreSchemaTooNew", ErrorCategory.InvalidData,
        $"The store '{path}' has schema version {found}, newer than this module knows ({known}); it was not modified. " +
        "Update the Sma module to use it.", path);

    public static SmaException StoreUnavailable(string path, Exception inner) => new(
        "StoreUnavailable", ErrorCategory.ResourceUnavailable,
        $"The store '{path}' cannot be opened: {inner.Message}", path, inner);

    public static SmaException StoreGone(string path) => new(
        "StoreGone", ErrorCategory.ResourceUnavailable,
        $"The store file '{path}' was deleted or moved while this session was using it. Nothing more can be written to " +
        "it; restore the file, or run the command again to start a new, empty store there.", path);

    public static SmaException StoreReplaced(string path, string why) => new(
        "StoreReplaced", ErrorCategory.ResourceUnavailable,
        $"The store file '{path}' was replaced while this session was using it ({why}). The session let go of it; run " +
        "the command again to use the file now at that path.", path);

    public static SmaException StoreFolderMissing(string path) => new(
        "StoreFolderMissing", ErrorCategory.ObjectNotFound,
        $"The folder of the store '{path}' does not exist. Create it, or point $env:SMA_STORE at a file in an existing folder.",
        path);

    /// <summary>
    /// Errors about the store or endpoint itself rather than about one item of a command's input: no later item can
    /// fare better, so a cmdlet reports them as terminating even where it reports per-item failures and goes on.
    /// </summary>
    public static bool IsStoreFailure(SmaException e) => e.ErrorId is "StoreGone" or "StoreReplaced" or "StoreUnavailable"
        or "StoreNotRecognized" or "StoreSchemaTooNew" or "StoreFolderMissing" or "RemoteEndpointNotSupported";

    private static string Describe(JobTrigger trigger) => trigger switch
    {
        JobTrigger.Stop => "Stop-SmaJob",
        JobTrigger.Suspend => "Suspend-SmaJob",
        JobTrigger.Resume => "Resume-SmaJob",
        _ => $"the change '{trigger}'",
    };
}

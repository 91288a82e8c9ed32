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

    public static SmaException WorkflowScriptOutsideWorkflow(string name, int line, string text) => new(
        "WorkflowScriptOutsideWorkflow", ErrorCategory.ParserError,
        $"Runbook '{name}' is Workflow source, but line {line} ('{Snippet(text)}') is script outside the workflows. A " +
        "workflow runbook holds only workflow (and function) definitions: SMA ran the workflow, never script around it. " +
        "Move that code into the workflow or remove it; nothing was imported.", line);

    public static SmaException WorkflowKeywordOutsideWorkflow(string name, string keyword, int line) => new(
        "WorkflowKeywordOutsideWorkflow", ErrorCategory.ParserError,
        $"Runbook '{name}': '{keyword}' at line {line} is a Workflow keyword outside workflow code. Parallel, Sequence " +
        "and foreach -Parallel are valid only in a workflow's own statements, not in a script, a function, an " +
        "InlineScript or another script block. Move it into the workflow (or make the function a workflow); nothing " +
        "was imported.", line);

    public static SmaException WorkflowUnsupportedShape(string name, int line, string what, string hint) => new(
        "WorkflowUnsupportedShape", ErrorCategory.NotImplemented,
        $"Runbook '{name}': {what} at line {line} cannot be translated to PowerShell 7. {hint} Nothing was imported.", line);

    public static SmaException WorkflowEntryNotFound(string name, IReadOnlyList<string> workflows) => new(
        "WorkflowEntryNotFound", ErrorCategory.InvalidArgument,
        $"The file defines the workflows {string.Join(", ", workflows.Select(w => $"'{w}'"))}; none is named '{name}' " +
        "and the file's name picks none of them, so it is not clear which one the runbook runs. Import it with -Name " +
        "set to one of them (the others become helpers it can call); nothing was imported.", name);

    /// <summary>Raised inside a job: a workflow activity asked for remote computers this worker cannot reach.</summary>
    public static SmaException WorkflowRemotingUnavailable(string activity, int line, string computers, string reason) => new(
        "WorkflowRemotingUnavailable", ErrorCategory.ResourceUnavailable,
        $"{activity} at line {line} asks to run on {computers} (-PSComputerName), but PowerShell remoting is not available " +
        $"to this worker: {reason} Run the runbook on a worker that can reach the computers (WSMan remoting needs " +
        "Windows; PowerShell 7 elsewhere remotes over SSH with Invoke-Command -HostName inside an InlineScript).",
        computers);

    /// <summary>Raised inside a job: an activity with -PSActionRunningTimeoutSec or -PSElapsedTimeoutSec ran too long.</summary>
    public static SmaException WorkflowActivityTimedOut(string activity, int line, double seconds) => new(
        "WorkflowActivityTimedOut", ErrorCategory.OperationTimeout,
        $"{activity} at line {line} did not finish within its {seconds:0.###} s timeout, so it was stopped.", activity);

    private static string Snippet(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= 60 ? line : line[..57] + "...";
    }

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

    /// <summary>
    /// <paramref name="chain"/>: the calls from the started runbook to the runbook that calls itself again;
    /// <paramref name="lines"/>[i]: the line where <paramref name="chain"/>[i] calls <paramref name="chain"/>[i + 1].
    /// </summary>
    public static SmaException ChildRunbookCycle(IReadOnlyList<string> chain, IReadOnlyList<int> lines) => new(
        "ChildRunbookCycle", ErrorCategory.InvalidOperation,
        $"Runbook '{chain[^1]}' calls itself through inline child runbooks: {string.Join(" -> ", chain)} " +
        $"({string.Join(", ", lines.Select((line, i) => $"'{chain[i]}' calls '{chain[i + 1]}' on line {line}"))}). A runbook cannot " +
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

    public static SmaException InvalidIsolation(string value) => new(
        "InvalidIsolation", ErrorCategory.InvalidArgument,
        $"'{value}' is not a valid value for $env:{SessionIsolation.EnvironmentVariable}: use Thread (this session's jobs run on " +
        "threads of this process, the default) or Process (they run in a background worker process the module starts), " +
        "or remove the variable. No job was created.", value);

    public static SmaException BackgroundWorkerFailed(string name, string why, string logPath, string? logTail) => new(
        "BackgroundWorkerFailed", ErrorCategory.ResourceUnavailable,
        $"The background worker '{name}' that runs this session's jobs (Process isolation) did not start: {why}. " +
        $"Its log is '{logPath}'" + (string.IsNullOrWhiteSpace(logTail) ? "." : $"; it ends with:{Environment.NewLine}{logTail}{Environment.NewLine}") +
        " No job was created. Fix the cause, or run jobs on this session's threads: Set-SmaSessionOption -Isolation Thread.",
        name);

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

    public static SmaException RemoteEndpointNotSupported(string endpoint, string storePath, string? command = null) => new(
        "RemoteEndpointNotSupported", ErrorCategory.NotImplemented,
        $"The web service endpoint '{endpoint}' is remote, and {command ?? "this command"} does not work through a web " +
        "service yet (most of the module's cmdlets do: about_Sma lists them); omit -WebServiceEndpoint to use the local " +
        $"store at {storePath}, or run it on the server.",
        endpoint);

    /// <summary>
    /// A cmdlet that acts on this machine by nature (its workers, its processes, this session, a store it opens
    /// directly) given a remote endpoint: what it acts on, and what to do instead.
    /// </summary>
    public static SmaException RemoteEndpointLocalOnly(string endpoint, string command, string actsOn, string instead) => new(
        "RemoteEndpointNotSupported", ErrorCategory.InvalidArgument,
        $"{command} acts on {actsOn}, on the machine where it runs, so it takes no remote web service endpoint " +
        $"('{endpoint}'): {instead}.",
        endpoint);

    public static SmaException InvalidWebServiceEndpoint(string endpoint) => new(
        "InvalidWebServiceEndpoint", ErrorCategory.InvalidArgument,
        $"'{endpoint}' is not a web service endpoint: give https://server (with -Port) or https://server:port.", endpoint);

    public static SmaException WebServiceUnreachable(string serviceRoot, string why) => new(
        "WebServiceUnreachable", ErrorCategory.ConnectionError,
        $"The web service at {serviceRoot} could not be reached: {why}. Check -WebServiceEndpoint and -Port, and that " +
        "the server runs (Get-SmaWebService on it). Nothing was changed.", serviceRoot);

    public static SmaException WebServiceCertificateNotTrusted(string serviceRoot, string thumbprint, string variable) => new(
        "WebServiceCertificateNotTrusted", ErrorCategory.SecurityError,
        $"The web service at {serviceRoot} presented a certificate this machine does not trust (thumbprint {thumbprint}). " +
        $"If that is the server's certificate (Get-SmaWebService on the server shows its thumbprint), trust it with " +
        $"$env:{variable} = '{thumbprint}', or install it as trusted. Nothing was sent.", thumbprint);

    public static SmaException RemoteSecretParameter(string runbookName, string parameter) => new(
        "RemoteSecretParameter", ErrorCategory.InvalidArgument,
        $"Parameter '{parameter}' of runbook '{runbookName}' is a credential or secure string, which SMA's web service " +
        "cannot carry as a parameter value. Keep it in a credential asset (Set-SmaCredential) and read it in the " +
        "runbook with Get-AutomationPSCredential. No job was created.", parameter);

    public static SmaException StoreNotAStore(string path, string why) => new(
        "StoreNotRecognized", ErrorCategory.InvalidData,
        $"The file '{path}' is not an Sma store ({why}); it was not modified. Point $env:SMA_STORE at another file.", path);

    public static SmaException StoreTooNew(string path, int found, int known) => new(
        "StoreSchemaTooNew", ErrorCategory.InvalidData,
        $"The store '{path}' has schema version {found}, newer than this module knows ({known}); it was not modified. " +
        "Update the Sma module to use it.", path);

    public static SmaException SecretKeyMismatch(string store) => new(
        "SecretKeyMismatch", ErrorCategory.SecurityError,
        $"The secret key of this process is not the key the store '{store}' uses, so secrets written here could not be " +
        "read by its other workers (or secrets there here). Give every worker of the store the same key: copy the key " +
        "file of the first worker and point $env:SMA_KEY_FILE at it, or set $env:SMA_KEY to the key in base64.", store);

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

    /// <summary>
    /// A remote web service that cannot be reached, or refuses the account (not signed in, or a role without the right
    /// to the change): like a store failure, no later item of the command can fare better.
    /// </summary>
    public static bool IsWebServiceFailure(SmaException e) => e.ErrorId is "WebServiceUnreachable" or "WebServiceCertificateNotTrusted"
        or "AccessDenied" or "AuthenticationRequired" or "InvalidCredentials" or "HttpsRequired" or "TooManySignInFailures";

    #region Assets and integration modules

    public static SmaException InvalidAssetName(string kind, string name) => new(
        "InvalidAssetName", ErrorCategory.InvalidArgument,
        $"'{name}' is not a valid {kind} name: use 1 to 128 characters, without control characters, without any of " +
        "< > * % & : \\ ? / + [ ] ' \" and without a leading or trailing space. Nothing was changed.", name);

    public static SmaException VariableNotFound(string name) => new(
        "VariableNotFound", ErrorCategory.ObjectNotFound,
        $"Variable '{name}' was not found in the store. Use Get-SmaVariable to list variables, or Set-SmaVariable -Name " +
        $"'{name}' -Value <value> to create it.", name);

    public static SmaException InvalidVariableValue(string name, string given) => new(
        "InvalidVariableValue", ErrorCategory.InvalidArgument,
        $"The value for variable '{name}' is {given}; a variable holds a string, an integer, a Boolean, a DateTime or a " +
        "hashtable. Nothing was changed.", name);

    public static SmaException VariableTypeMismatch(string name, string existing, string given, bool inJob) => new(
        "VariableTypeMismatch", ErrorCategory.InvalidArgument,
        $"Variable '{name}' holds a value of type {existing} and the new value is of type {given}; nothing was changed. " +
        (inJob
            ? $"Set-AutomationVariable keeps a variable's type: give a value of type {existing} (Set-SmaVariable -Force changes the type)."
            : $"Give a value of type {existing}, or add -Force to replace the variable with one of the new type."),
        name);

    public static SmaException VariableEncryptionFixed(string name, bool encrypted) => new(
        "VariableEncryptionFixed", ErrorCategory.InvalidOperation,
        $"Variable '{name}' is {(encrypted ? "encrypted" : "not encrypted")}, and a variable's encryption is fixed when it " +
        $"is created (as in SMA); nothing was changed. To change it, Remove-SmaVariable -Name '{name}' and set it again.",
        name);

    public static SmaException CredentialNotFound(string name) => new(
        "CredentialNotFound", ErrorCategory.ObjectNotFound,
        $"Credential '{name}' was not found in the store. Use Get-SmaCredential to list credentials, or Set-SmaCredential " +
        $"-Name '{name}' -Value <PSCredential> to create it.", name);

    public static SmaException ConnectionNotFound(string name) => new(
        "ConnectionNotFound", ErrorCategory.ObjectNotFound,
        $"Connection '{name}' was not found in the store. Use Get-SmaConnection to list connections, or New-SmaConnection " +
        $"-Name '{name}' to create it.", name);

    public static SmaException ConnectionAlreadyExists(string name) => new(
        "ConnectionAlreadyExists", ErrorCategory.ResourceExists,
        $"A connection named '{name}' already exists; nothing was created. Use Set-SmaConnectionFieldValue to change its " +
        "fields, or Remove-SmaConnection first.", name);

    public static SmaException ConnectionTypeNotFound(string name, IEnumerable<string> known) => new(
        "ConnectionTypeNotFound", ErrorCategory.ObjectNotFound,
        $"Connection type '{name}' does not exist; nothing was created. The types are: {string.Join(", ", known)} " +
        "(Get-SmaConnectionType); an integration module brings more (Import-SmaModule).", name);

    public static SmaException UnknownConnectionField(string type, string field, IEnumerable<string> fields) => new(
        "UnknownConnectionField", ErrorCategory.InvalidArgument,
        $"Connection type '{type}' has no field named '{field}'; nothing was changed. Its fields are: " +
        $"{string.Join(", ", fields)} (Get-SmaConnectionField -ConnectionTypeName '{type}').", field);

    public static SmaException MissingConnectionField(string type, IReadOnlyList<string> missing) => new(
        "MissingConnectionField", ErrorCategory.InvalidArgument,
        $"Connection type '{type}' requires {(missing.Count == 1 ? "field" : "fields")} " +
        $"{string.Join(", ", missing.Select(m => $"'{m}'"))}; give {(missing.Count == 1 ? "it" : "them")} in " +
        "-ConnectionFieldValues. Nothing was changed.", missing[0]);

    public static SmaException InvalidConnectionFieldValue(string type, string field, string typeName, string why) => new(
        "InvalidConnectionFieldValue", ErrorCategory.InvalidArgument,
        $"The value given for field '{field}' of connection type '{type}' is not a valid [{typeName}]: {why} Nothing was changed.",
        field);

    public static SmaException CertificateNotFound(string name) => new(
        "CertificateNotFound", ErrorCategory.ObjectNotFound,
        $"Certificate '{name}' was not found in the store. Use Get-SmaCertificate to list certificates, or " +
        $"Set-SmaCertificate -Name '{name}' -Path <file.pfx|file.cer> to add it.", name);

    public static SmaException CertificateFileNotFound(string path) => new(
        "CertificateFileNotFound", ErrorCategory.ObjectNotFound,
        $"The certificate file '{path}' does not exist; nothing was changed. Give the path of a .pfx or .cer file.", path);

    public static SmaException CertificatePasswordInvalid(string path) => new(
        "CertificatePasswordInvalid", ErrorCategory.SecurityError,
        $"The certificate file '{path}' could not be opened with the password given; nothing was changed. Give the .pfx " +
        "file's password with -Password (a SecureString).", path);

    public static SmaException CertificateFileInvalid(string path, string why) => new(
        "CertificateFileInvalid", ErrorCategory.InvalidData,
        $"The file '{path}' is not a certificate Sma can read ({why}); nothing was changed. Give a .pfx (PKCS #12) or a " +
        ".cer (DER or PEM) file.", path);

    public static SmaException ModuleNotFound(string name) => new(
        "ModuleNotFound", ErrorCategory.ObjectNotFound,
        $"Module '{name}' was not found in the store. Use Get-SmaModule to list integration modules.", name);

    public static SmaException ModuleIdNotFound(Guid id) => new(
        "ModuleNotFound", ErrorCategory.ObjectNotFound,
        $"No integration module has the id '{id}'. Use Get-SmaModule to list integration modules.", id);

    public static SmaException ModuleFileNotFound(string path) => new(
        "ModuleFileNotFound", ErrorCategory.ObjectNotFound,
        $"'{path}' does not exist; nothing was imported. Give a module's .zip file or its folder.", path);

    public static SmaException ModuleFileInvalid(string path, string why) => new(
        "ModuleFileInvalid", ErrorCategory.InvalidData,
        $"'{path}' cannot be imported as an integration module: {why}. Nothing was imported.", path);

    public static SmaException ModuleManifestMissing(string path, string name) => new(
        "ModuleManifestMissing", ErrorCategory.InvalidData,
        $"'{path}' holds no PowerShell module named '{name}': expected {name}.psd1, {name}.psm1 or {name}.dll at its top " +
        $"level or in a folder '{name}' (SMA's layout: {name}.zip holding {name}/{name}.psd1). Nothing was imported.", path);

    public static SmaException ModuleManifestInvalid(string path, string details) => new(
        "ModuleManifestInvalid", ErrorCategory.InvalidData,
        $"The module manifest '{path}' is not a valid PowerShell data file: {details} Nothing was imported.", path);

    public static SmaException InvalidModuleName(string name) => new(
        "InvalidModuleName", ErrorCategory.InvalidArgument,
        $"'{name}' is not a valid module name: use letters, digits, '.', '-' and '_', starting with a letter or digit (at " +
        "most 128 characters). Nothing was imported.", name);

    public static SmaException ConnectionTypeFileInvalid(string file, string why) => new(
        "ConnectionTypeFileInvalid", ErrorCategory.InvalidData,
        $"The module's connection type file '{file}' is not valid: {why}. It must be JSON with ConnectionTypeName and " +
        "ConnectionFields (each with Name, TypeName, IsEncrypted, IsOptional). Nothing was imported.", file);

    public static SmaException ConnectionTypeExists(string type, string? owner) => new(
        "ConnectionTypeExists", ErrorCategory.ResourceExists,
        $"Connection type '{type}' already exists ({(owner is null ? "it is built in" : $"module '{owner}' registered it")}), " +
        "so this module cannot register it; nothing was imported.", type);

    public static SmaException ModuleConnectionTypeInUse(string module, string type, IReadOnlyList<string> connections) => new(
        "ModuleConnectionTypeInUse", ErrorCategory.InvalidOperation,
        $"Module '{module}' registers connection type '{type}', which {(connections.Count == 1 ? "connection" : "connections")} " +
        $"{string.Join(", ", connections.Take(5).Select(c => $"'{c}'"))}{(connections.Count > 5 ? ", ..." : "")} " +
        $"{(connections.Count == 1 ? "uses" : "use")}; nothing was changed. Remove-SmaConnection them first.", module);

    public static SmaException ModulesUnavailable(string folder, Exception inner) => new(
        "IntegrationModulesUnavailable", ErrorCategory.ResourceUnavailable,
        $"The integration modules of the store could not be prepared in '{folder}' on this worker: {inner.Message}",
        folder, inner);

    #endregion

    #region Web service: accounts, servers, requests

    public static SmaException AccountNotFound(string name) => new(
        "AccountNotFound", ErrorCategory.ObjectNotFound,
        $"No web service account is named '{name}'. Use Get-SmaWebServiceAccount to list them, or " +
        "New-SmaWebServiceAccount to add it.", name);

    public static SmaException AccountAlreadyExists(string name) => new(
        "AccountAlreadyExists", ErrorCategory.ResourceExists,
        $"A web service account named '{name}' already exists; nothing was changed. Use Set-SmaWebServiceAccount to " +
        "change its role or password.", name);

    public static SmaException InvalidAccountName(string name) => new(
        "InvalidAccountName", ErrorCategory.InvalidArgument,
        $"'{name}' is not a valid account name: use 1 to 128 ASCII letters, digits and . _ @ - \\, starting with a letter " +
        "or digit (no spaces and no ':'). Nothing was changed.", name);

    public static SmaException PasswordTooShort(string name, int minimum) => new(
        "PasswordTooShort", ErrorCategory.InvalidArgument,
        $"The password for account '{name}' is too short: give at least {minimum} characters. Nothing was changed.", name);

    public static SmaException NoAccountChangeGiven(string name) => new(
        "NoAccountChangeGiven", ErrorCategory.InvalidArgument,
        $"Set-SmaWebServiceAccount -Name '{name}' was given nothing to change: give -Role, -Password, -Enabled or " +
        "-Description. Nothing was changed.", name);

    public static SmaException WebServiceNotBuilt(string path) => new(
        "WebServiceNotInstalled", ErrorCategory.ObjectNotFound,
        $"The web service is not installed beside the module: '{path}' does not exist. Reinstall the Sma module, or run " +
        "build.ps1 -Task Build in a clone of its repository.", path);

    public static SmaException DotnetNotFound() => new(
        "DotnetNotFound", ErrorCategory.ObjectNotFound,
        "The web service runs on .NET 10 with ASP.NET Core, but no 'dotnet' command was found. Install the .NET 10 " +
        "runtime (with ASP.NET Core), or set $env:DOTNET_ROOT to the folder that holds it.", "dotnet");

    public static SmaException WebServiceDidNotStart(string why, string log) => new(
        "WebServiceDidNotStart", ErrorCategory.OpenError,
        $"The web service did not start: {why}. " + (log.Length == 0 ? "It wrote nothing." : $"It wrote: {log}"), why);

    public static SmaException WebServiceNotRunning(string what) => new(
        "WebServiceNotRunning", ErrorCategory.ObjectNotFound,
        $"No web service {what} is running for this store. Use Get-SmaWebService to list the running ones.", what);

    public static SmaException WebServiceCertificateInvalid(string path, string why) => new(
        "WebServiceCertificateInvalid", ErrorCategory.InvalidData,
        $"The web service cannot use the certificate '{path}' ({why}). Give a .pfx file with its private key and its " +
        "password, or omit -Certificate to use the self-signed one kept for the store.", path);

    /// <summary>A request the web service cannot serve: the status code goes with the ErrorId (see the server's map).</summary>
    public static SmaException WebRequestInvalid(string errorId, string message, object? target = null) => new(
        errorId, ErrorCategory.InvalidArgument, message, target);

    public static SmaException WebResourceNotFound(string what) => new(
        "ResourceNotFound", ErrorCategory.ObjectNotFound,
        $"The web service has no resource at '{what}'. Its entity sets are listed at the service root, their properties " +
        "in $metadata.", what);

    public static SmaException WebEntityNotFound(string set, string key) => new(
        "ResourceNotFound", ErrorCategory.ObjectNotFound,
        $"{set} has no entry with the key {key}.", key);

    public static SmaException WebUnknownProperty(string set, string property, IEnumerable<string> known) => new(
        "UnknownProperty", ErrorCategory.InvalidArgument,
        $"{set} has no property '{property}'. Its properties are: {string.Join(", ", known)}.", property);

    public static SmaException WebInvalidKey(string set, string text, string example) => new(
        "InvalidKey", ErrorCategory.InvalidArgument,
        $"'{text}' is not a valid key of {set}: write {example}.", text);

    public static SmaException WebInvalidFilter(string filter, int position, string why) => new(
        "InvalidFilter", ErrorCategory.InvalidArgument,
        $"The $filter '{filter}' is not valid at position {position}: {why}. Nothing was run.", filter);

    public static SmaException WebMethodNotAllowed(string method, string resource) => new(
        "MethodNotAllowed", ErrorCategory.InvalidOperation,
        $"{resource} does not accept {method} requests.", resource);

    public static SmaException WebBodyTooLarge(long limit) => new(
        "RequestBodyTooLarge", ErrorCategory.LimitsExceeded,
        $"The request body is larger than the web service accepts ({limit:N0} bytes); nothing was changed.", limit);

    public static SmaException WebInvalidBody(string why) => new(
        "InvalidRequestBody", ErrorCategory.InvalidData,
        $"The request body could not be read: {why}. Nothing was changed.", why);

    public static SmaException WebAuthenticationRequired() => new(
        "AuthenticationRequired", ErrorCategory.AuthenticationError,
        "This web service needs a user name and password (Basic authentication over HTTPS): pass -Credential, or " +
        "ask its administrator for an account (New-SmaWebServiceAccount).", null);

    public static SmaException WebInvalidCredentials() => new(
        "InvalidCredentials", ErrorCategory.AuthenticationError,
        "The user name or password is wrong, or the account is disabled.", null);

    public static SmaException WebHttpsRequired() => new(
        "HttpsRequired", ErrorCategory.SecurityError,
        "Basic authentication is refused over plain HTTP, where the password would travel in clear text: connect with " +
        "https:// instead. Nothing was run.", null);

    public static SmaException WebTooManyFailedSignIns(int retryAfterSeconds) => new(
        "TooManySignInFailures", ErrorCategory.LimitsExceeded,
        $"Too many failed sign-ins for this account or from this address: try again in {retryAfterSeconds} s.", retryAfterSeconds);

    public static SmaException WebAccessDenied(string account, string role, string action, string needed) => new(
        "AccessDenied", ErrorCategory.PermissionDenied,
        $"Account '{account}' ({role}) may not {action}: that needs the {needed} role. Nothing was changed.", account);

    #endregion

    private static string Describe(JobTrigger trigger) => trigger switch
    {
        JobTrigger.Stop => "Stop-SmaJob",
        JobTrigger.Suspend => "Suspend-SmaJob",
        JobTrigger.Resume => "Resume-SmaJob",
        _ => $"the change '{trigger}'",
    };
}

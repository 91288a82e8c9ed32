using System.Management.Automation;
using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine;

/// <summary>Every user-facing error the engine raises: ids, categories and messages in one place.</summary>
public static class SmaErrors
{
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
        $"A runbook named '{name}' already exists. Use Edit-SmaRunbook to change it, or import under another -Name.",
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
        $"'{name}' is not a valid runbook name: use letters, digits, '-' and '_', starting with a letter (at most 128 characters).",
        name);

    public static SmaException UnknownParameter(string runbookName, string name, IReadOnlyList<string> declared) => new(
        "UnknownParameter", ErrorCategory.InvalidArgument,
        $"Runbook '{runbookName}' has no parameter named '{name}'. " +
        (declared.Count == 0 ? "It takes no parameters." : $"Its parameters are: {string.Join(", ", declared)}.") +
        " No job was created.",
        name);

    public static SmaException DuplicateParameter(string runbookName, string name, string given) => new(
        "DuplicateParameter", ErrorCategory.InvalidArgument,
        $"Parameter '{name}' of runbook '{runbookName}' was given more than once (by name or alias). No job was created.",
        given);

    public static SmaException InvalidParameterValue(string runbookName, string name, Type type, string value, string given) => new(
        "InvalidParameterValue", ErrorCategory.InvalidArgument,
        $"The value '{value}' of parameter '{name}' of runbook '{runbookName}' cannot be converted to the declared type " +
        $"[{type.Name}]. No job was created.",
        given);

    public static SmaException MissingMandatoryParameter(string runbookName, IReadOnlyList<string> missing) => new(
        "MissingMandatoryParameter", ErrorCategory.InvalidArgument,
        $"Runbook '{runbookName}' requires {(missing.Count == 1 ? "parameter" : "parameters")} " +
        $"{string.Join(", ", missing.Select(m => $"'{m}'"))}; pass {(missing.Count == 1 ? "it" : "them")} in -Parameters. " +
        "No job was created.",
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

    private static string Describe(JobTrigger trigger) => trigger switch
    {
        JobTrigger.Stop => "Stop-SmaJob",
        JobTrigger.Suspend => "Suspend-SmaJob",
        JobTrigger.Resume => "Resume-SmaJob",
        _ => $"the change '{trigger}'",
    };
}

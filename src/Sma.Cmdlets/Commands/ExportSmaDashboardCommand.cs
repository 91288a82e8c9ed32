using System.Management.Automation;
using System.Text;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>Writes the job dashboard as a self-contained HTML file.</summary>
/// <remarks>
/// <para>
/// Export-SmaDashboard writes one HTML page that works offline: a chart with a line per status for the range (click a
/// status in the legend to hide or show its line), and the jobs whose last change is in the range, which can be
/// filtered by status and time; click a job for its parameters, records, status history with timestamps and the exact
/// source it ran. The page holds the newest 500 jobs of the range and the first 200 records of each, and says so.
/// </para>
/// <para>
/// The page makes no network request: everything is inside the file, and its content security policy allows no other
/// script and no request. Runbook output is shown as text, never as markup. Open dashboard.html#job=ID to show that job
/// at once.
/// </para>
/// <para>
/// The file's folder must exist (DashboardFolderMissing otherwise); an existing file is replaced. Export-SmaDashboard
/// supports -WhatIf and -Confirm.
/// </para>
/// <para>
/// Through a remote -WebServiceEndpoint the page is built here from the server's data, read through its web service
/// (its counts, its jobs with their parameters, each job's status history, first records and source), and written to
/// the file on this machine: it shows the same jobs as an export on the server. Parameter values are shown as the
/// service carries them (text; arrays and hashtables as JSON).
/// </para>
/// </remarks>
/// <returns>With -PassThru, the file written; otherwise nothing.</returns>
/// <seealso cref="ShowSmaDashboardCommand"/>
/// <seealso cref="GetSmaJobSummaryCommand"/>
[Cmdlet(VerbsData.Export, "SmaDashboard", DefaultParameterSetName = ByHours, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSmaDashboardCommand : SummaryCmdlet
{
    #region Parameters

    /// <summary>The HTML file to write, in an existing folder. An existing file is replaced.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Returns the file written. By default nothing is returned.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
        if (provider.Name != "FileSystem")
            throw SmaErrors.DashboardPathNotFileSystem(Path, provider.Name);
        if (Directory.Exists(path))
            throw SmaErrors.DashboardPathIsFolder(path);
        var folder = System.IO.Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
            throw SmaErrors.DashboardFolderMissing(path);

        // A -RunbookName that no runbook and no job has is a non-terminating RunbookNotFound; nothing is written.
        var html = PerItem(() => Remote?.RenderHtml(Range, RunbookName, DateTime.UtcNow, DashboardService.DefaultJobLimit, DashboardService.DefaultRecordLimit)
            ?? Dashboard.RenderHtml(Range, RunbookName, DateTime.UtcNow, DashboardService.DefaultJobLimit, DashboardService.DefaultRecordLimit));
        if (html is null || !ShouldProcess(path, "Write the Sma dashboard"))
            return;
        try
        {
            File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SmaErrors.DashboardWriteFailed(path, e);
        }
        if (PassThru)
            WriteObject(new FileInfo(path));
    }
}

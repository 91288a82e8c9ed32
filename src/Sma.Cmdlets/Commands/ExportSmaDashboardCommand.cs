using System.Management.Automation;
using System.Text;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Commands;

/// <summary>
/// Writes the dashboard as one self-contained HTML file that works offline: a chart with a line per status (the
/// legend hides and shows each), and the newest jobs of the range with their parameters, status history, records
/// and the source they ran.
/// </summary>
[Cmdlet(VerbsData.Export, "SmaDashboard", DefaultParameterSetName = ByHours, SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportSmaDashboardCommand : SummaryCmdlet
{
    #region Parameters

    /// <summary>The HTML file to write (replaced if it exists). Its folder must exist.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Return the file written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

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
        var html = PerItem(() => Dashboard.RenderHtml(Range, RunbookName, DateTime.UtcNow,
            DashboardService.DefaultJobLimit, DashboardService.DefaultRecordLimit));
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

@{
    RootModule           = 'Sma.Cmdlets.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f0c3a55-6a8e-4b3e-9d0c-2b7e6f1d9a41'
    Author               = 'Sma.Cmdlets contributors'
    CompanyName          = 'Sma.Cmdlets'
    Copyright            = '(c) Sma.Cmdlets contributors. MIT License.'
    Description          = 'The runbook-job model of System Center Service Management Automation (SMA) for PowerShell 7: import runbooks, start them as jobs, and keep every job (status history, parameters, streams, checkpoints, source) in a durable local SQLite store.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Sma.Format.ps1xml')
    TypesToProcess       = @('Sma.Types.ps1xml')
    CmdletsToExport      = @(
        'Import-SmaRunbook'
        'Edit-SmaRunbook'
        'Publish-SmaRunbook'
        'Get-SmaRunbook'
        'Remove-SmaRunbook'
        'Set-SmaRunbookConfiguration'
        'Get-SmaRunbookDefinition'
        'Start-SmaRunbook'
        'Get-SmaJob'
        'Get-SmaJobOutput'
        'Get-SmaJobHistory'
        'Get-SmaJobSummary'
        'Show-SmaDashboard'
        'Export-SmaDashboard'
        'Get-SmaAdminConfiguration'
        'Set-SmaAdminConfiguration'
        'Stop-SmaJob'
        'Suspend-SmaJob'
        'Resume-SmaJob'
        'Wait-SmaJob'
        'Remove-SmaJob'
        'Start-SmaWorker'
        'Stop-SmaWorker'
        'Get-SmaRunbookWorkerDeployment'
        'Get-SmaSessionOption'
        'Set-SmaSessionOption'
        'Test-SmaStore'
        'Set-SmaSchedule'
        'Get-SmaSchedule'
        'Remove-SmaSchedule'
        'Register-SmaScheduledRunbook'
        'Get-SmaScheduledRunbook'
        'Remove-SmaScheduledRunbook'
        'Get-SmaScheduleHistory'
        'Get-SmaVariable'
        'Set-SmaVariable'
        'Remove-SmaVariable'
        'Get-SmaCredential'
        'Set-SmaCredential'
        'Remove-SmaCredential'
        'New-SmaConnection'
        'Set-SmaConnectionFieldValue'
        'Get-SmaConnection'
        'Remove-SmaConnection'
        'Get-SmaConnectionType'
        'Get-SmaConnectionField'
        'Get-SmaCertificate'
        'Set-SmaCertificate'
        'Remove-SmaCertificate'
        'Import-SmaModule'
        'Get-SmaModule'
        'Remove-SmaModule'
        'Start-SmaWebService'
        'Stop-SmaWebService'
        'Get-SmaWebService'
        'New-SmaWebServiceAccount'
        'Get-SmaWebServiceAccount'
        'Set-SmaWebServiceAccount'
        'Remove-SmaWebServiceAccount'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('Unregister-SmaScheduledRunbook')
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('SMA', 'ServiceManagementAutomation', 'Runbook', 'Jobs', 'Automation', 'SQLite', 'Schedule', 'Cron')
            ProjectUri   = 'https://github.com/sma-cmdlets/Sma.Cmdlets'
            LicenseUri   = 'https://github.com/sma-cmdlets/Sma.Cmdlets/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0: the first release. SMA's runbook cmdlets (Import-, Edit-, Publish-, Get-, Remove-SmaRunbook,
Set-SmaRunbookConfiguration, Get-SmaRunbookDefinition, Start-SmaRunbook) and job cmdlets (Get-, Stop-, Suspend-,
Resume-, Wait-, Remove-SmaJob, Get-SmaJobOutput, Get-SmaJobHistory) on a durable SQLite store; checkpoints and resume
for plain scripts; dedicated workers with crash recovery; a job summary, a terminal chart and an offline HTML
dashboard; retention (Get-/Set-SmaAdminConfiguration). Job objects carry SMA's status names in JobStatus (New,
Activating, ...) and the portal's in Status (Queued, Starting, ...). Native SQLite for linux-x64/arm64 (glibc and
musl), osx-x64/arm64 and win-x64/arm64.
'@
        }
    }
}

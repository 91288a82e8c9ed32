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
        'Add-SmaSeedJob'
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
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('SMA', 'ServiceManagementAutomation', 'Runbook', 'Jobs', 'Automation', 'SQLite')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}

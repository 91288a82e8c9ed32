<#
.SYNOPSIS
    Applies a security baseline setting by setting, persisting after each one. Before each setting it reads the
    change window from a variable asset: when the window is closed it warns and suspends itself; an operator opens
    the window again and resumes the job, which goes on with that setting.
.DESCRIPTION
    Corpus: -PSPersist $true on an activity inside a foreach, Suspend-Workflow inside an if inside the foreach,
    Get-/Set-AutomationVariable, a Warning record. Each applied setting leaves a file in -LogPath.
#>
workflow Set-ConfigurationBaseline
{
    param(
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [string[]] $Settings = @('TLS12', 'SMB1Off', 'FirewallOn', 'AuditOn')
    )

    $applied = @()
    foreach ($setting in $Settings)
    {
        $windowOpen = Get-AutomationVariable -Name 'BaselineWindowOpen'
        if (-not $windowOpen)
        {
            Write-Warning "The change window is closed before $setting; suspending until it opens"
            Suspend-Workflow
        }
        New-Item -ItemType File -Path (Join-Path $LogPath "$setting-$([guid]::NewGuid().ToString('n'))") -PSPersist $true | Out-Null
        $applied += $setting
        if ($setting -eq 'SMB1Off')
        {
            # The window closes after the second setting (another runbook does this in production).
            Set-AutomationVariable -Name 'BaselineWindowOpen' -Value $false
        }
    }
    "applied $($applied -join ', ')"
}

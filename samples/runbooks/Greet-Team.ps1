<#
.SYNOPSIS
    Greets a team by calling the Hello runbook inline, once per member: a runbook that calls a runbook.
.DESCRIPTION
    Import and publish Hello.ps1 first. Hello runs inside this job (its output comes back here, its records go to
    this job's streams); Get-SmaJob | Get-SmaRunbookDefinition -Children shows the Hello version the job ran.
#>
param(
    [string[]] $Members = @('Ada', 'Grace')
)

foreach ($member in $Members) {
    $greeting = Hello -Name $member
    "$greeting (greeted by Greet-Team)"
}

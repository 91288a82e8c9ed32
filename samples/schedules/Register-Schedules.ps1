<#
.SYNOPSIS
    Deploys schedules for the sample Hello runbook, the way an SMA deployment script does; safe to run again.
.DESCRIPTION
    Imports samples/runbooks/Hello.ps1 (published), creates an SMA-style daily schedule and a cron schedule, and links
    the runbook to both with parameter values. Run it again and nothing changes: an existing schedule given the same
    definition only takes the description, and an existing link is left as it is. Schedules fire while a worker runs
    (Start-SmaWorker in another window).
.EXAMPLE
    ./samples/schedules/Register-Schedules.ps1 -ModulePath ./out/Sma/Sma.psd1
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/Sma/Sma.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$source = Join-Path $PSScriptRoot '../runbooks/Hello.ps1'
if (-not (Get-SmaRunbook | Where-Object RunbookName -EQ Hello)) {
    Import-SmaRunbook -Path $source -Publish | Out-Null
}

# SMA style: every night at 02:00 in the schedule's time zone (UTC here, so every machine reads it alike).
Set-SmaSchedule -Name 'Hello nightly' -ScheduleType DailySchedule -StartTime '2030-01-01 02:00' -DayInterval 1 `
    -TimeZone UTC -Description 'Greets the night shift' | Out-Null

# Cron: weekdays at 09:00 Berlin time, summer and winter alike.
Set-SmaSchedule -Name 'Hello weekdays' -Cron '0 9 * * MON-FRI' -TimeZone 'Europe/Berlin' -Description 'Greets the day shift' | Out-Null

$links = @{ 'Hello nightly' = @{ Name = 'night shift'; Times = 1 }; 'Hello weekdays' = @{ Name = 'day shift'; Times = 2 } }
foreach ($schedule in $links.Keys | Sort-Object) {
    if (-not (Get-SmaScheduledRunbook -RunbookName Hello -ScheduleName $schedule -ErrorAction SilentlyContinue)) {
        # SMA's way to link a runbook to a schedule; Register-SmaScheduledRunbook does the same.
        Start-SmaRunbook -Name Hello -ScheduleName $schedule -Parameters $links[$schedule] -WarningAction SilentlyContinue | Out-Null
    }
}

Get-SmaScheduledRunbook -RunbookName Hello | Format-Table RunbookName, ScheduleName, NextRun, Parameters

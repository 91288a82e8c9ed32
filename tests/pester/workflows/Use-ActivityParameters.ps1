<#
.SYNOPSIS
    Activity common parameters of Windows PowerShell Workflow: honoured where they mean something, dropped with a
    Verbose record otherwise - never a binding error.
#>
workflow Use-ActivityParameters
{
    $date = Get-Date -DisplayName 'Read the clock' -PSDisableSerialization $true -PSProgressMessage 'Reading'
    "date is $($date.GetType().Name)"
    $attempts = [System.Collections.Generic.List[int]]::new()
    $value = InlineScript {
        $list = $Using:attempts
        $list.Add(1)
        if ($list.Count -lt 3) { throw "attempt $($list.Count) failed" }
        "succeeded on attempt $($list.Count)"
    } -PSActionRetryCount 4 -PSActionRetryIntervalSec 0
    $value
    Get-Item -Path '/no/such/item' -MergeErrorToOutput $true | ForEach-Object { "merged: $($_.GetType().Name)" }
    InlineScript { Start-Sleep -Seconds 30; 'too late' } -PSActionRunningTimeoutSec 1
    'not reached'
}

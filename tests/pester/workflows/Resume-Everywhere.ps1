<#
.SYNOPSIS
    Checkpoints inside for, while, if, try and foreach in a workflow, each suspending the job once: by Suspend-Workflow,
    by -PSPersist $true after the workflow asked Suspend-SmaJob for its own job, and by a checkpoint reached through
    a nested workflow (which runs its calling statement again). Resumed each time, every step runs exactly once (a
    file per step) and in order, but the nested workflow's own; the finally block runs once, after the resume.
#>
workflow Resume-Everywhere
{
    param([Parameter(Mandatory = $true)] [string] $Markers)

    function Step([string] $Name)
    {
        New-Item -ItemType File -Path (Join-Path $Markers "$Name-$([guid]::NewGuid())") | Out-Null
        "step $Name"
    }
    workflow Save-Inside
    {
        param([string] $Name)
        Step $Name
        Suspend-Workflow
    }

    for ($i = 1; $i -le 2; $i++)
    {
        Step "for$i"
        if ($i -eq 1) { Suspend-Workflow }
    }
    $n = 0
    while ($n -lt 3)
    {
        $n++
        if ($n -eq 2)
        {
            # Resumed a moment ago, the job may still show Resuming (the change commits while it runs): Suspend-SmaJob
            # asks a Running job.
            $deadline = [datetime]::UtcNow.AddSeconds(90)
            while ((Get-SmaJob -Id $PSPrivateMetadata.JobId).JobStatus -ne 'Running' -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Suspend-SmaJob -Id $PSPrivateMetadata.JobId | Out-Null
        }
        New-Item -ItemType File -Path (Join-Path $Markers "while$n-$([guid]::NewGuid())") -PSPersist $true | Out-Null
        "step while$n"
    }
    try
    {
        Step 'try'
        Suspend-Workflow
        Step 'tryafter'
    }
    finally
    {
        Step 'finally'
    }
    foreach ($name in 'a', 'b')
    {
        if ($name -eq 'b')
        {
            Save-Inside -Name "nested$name"
            Step "afternested$name"
        }
        else
        {
            Step "plain$name"
        }
    }
    Step 'end'
}

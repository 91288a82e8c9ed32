<#
.SYNOPSIS
    Synchronises user accounts page by page from the directory, with a checkpoint after each account. On page 2 it
    waits for the directory lock file (-HoldFile) - the moment an operator suspends the job with Suspend-SmaJob.
    The job suspends at its next checkpoint; resumed, it goes on with the next account of that page.
.DESCRIPTION
    Corpus: a do/until loop around a for loop, an InlineScript with $Using: computing each page, Suspend-SmaJob from
    outside taking effect at a checkpoint inside the nested loops. Each account leaves a file in -LogPath.
#>
workflow Sync-UserAccounts
{
    param(
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [Parameter(Mandatory = $true)] [string] $HoldFile,
        [int] $PageSize = 2,
        [int] $Pages = 2
    )

    $page = 0
    $synced = @()
    do
    {
        $page++
        $batch = InlineScript {
            $first = ($Using:page - 1) * $Using:PageSize + 1
            $first..($first + $Using:PageSize - 1) | ForEach-Object { 'user{0:d2}' -f $_ }
        }
        for ($i = 0; $i -lt $batch.Count; $i++)
        {
            $user = $batch[$i]
            if ($page -eq 2 -and $i -eq 0)
            {
                New-Item -ItemType File -Path (Join-Path $LogPath "holding-$([guid]::NewGuid().ToString('n'))") | Out-Null
                $deadline = [datetime]::UtcNow.AddSeconds(90)
                while (-not (Test-Path $HoldFile) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            }
            New-Item -ItemType File -Path (Join-Path $LogPath "$user-$([guid]::NewGuid().ToString('n'))") | Out-Null
            $synced += $user
            Checkpoint-Workflow
        }
    } until ($page -ge $Pages)
    "synced $($synced.Count): $($synced -join ',')"
}

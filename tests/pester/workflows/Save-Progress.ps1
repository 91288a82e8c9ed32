<#
.SYNOPSIS
    -PSPersist $true on an activity checkpoints after it: suspended there, the job resumes after it.
#>
workflow Save-Progress
{
    param([Parameter(Mandatory = $true)] [string] $Folder)

    New-Item -ItemType File -Path (Join-Path $Folder "step1-$([guid]::NewGuid())") -PSPersist $false | Out-Null
    $deadline = [datetime]::UtcNow.AddSeconds(90)
    while (-not (Test-Path (Join-Path $Folder 'gate')) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
    $marker = New-Item -ItemType File -Path (Join-Path $Folder "step2-$([guid]::NewGuid())") -PSPersist $true
    "step 2 made $($marker.Name.Substring(0, 5))"
    New-Item -ItemType File -Path (Join-Path $Folder "step3-$([guid]::NewGuid())") | Out-Null
    'step 3 done'
}

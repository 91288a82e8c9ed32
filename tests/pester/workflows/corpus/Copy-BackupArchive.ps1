<#
.SYNOPSIS
    Copies the week's backup archives one by one, with a checkpoint after each. A missing archive is a terminating
    error: the job is suspended at that line; once the archive is there, Resume-SmaJob goes on with it - the
    archives copied before are not copied again.
.DESCRIPTION
    Corpus: a function nested in the workflow whose Get-Item -ErrorAction Stop fails inside a foreach after a
    checkpoint; the job ends Suspended naming the original line; resumed after the cause is fixed, it completes.
#>
workflow Copy-BackupArchive
{
    param(
        [Parameter(Mandatory = $true)] [string] $SourcePath,
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [string[]] $Archives = @('mon.bak', 'tue.bak', 'wed.bak')
    )

    function Copy-OneArchive
    {
        param([string] $Name)
        $file = Get-Item -Path (Join-Path $SourcePath $Name) -ErrorAction Stop
        New-Item -ItemType File -Path (Join-Path $LogPath "$($file.BaseName)-$([guid]::NewGuid().ToString('n'))") | Out-Null
        "copied $($file.Name)"
    }

    foreach ($archive in $Archives)
    {
        Copy-OneArchive -Name $archive
        Checkpoint-Workflow
    }
    'all archives copied'
}

<#
.SYNOPSIS
    Publishes the build's artifacts two at a time, persisting after each, then waits (suspended) for the release
    manager; resumed, it reports what was published. Nothing is published twice.
.DESCRIPTION
    Corpus: foreach -parallel -ThrottleLimit whose last statement is an activity with -PSPersist $true, $Workflow:
    list kept across Suspend-Workflow, a Verbose record. Each published artifact leaves a file in -LogPath.
#>
workflow Publish-BuildArtifacts
{
    param(
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [string[]] $Artifacts = @('api.zip', 'web.zip', 'worker.zip', 'docs.zip')
    )

    $published = @()
    foreach -parallel -ThrottleLimit 2 ($artifact in $Artifacts)
    {
        $Workflow:published += $artifact
        New-Item -ItemType File -Path (Join-Path $LogPath "$($artifact -replace '\.zip$')-$([guid]::NewGuid().ToString('n'))") -PSPersist $true | Out-Null
    }
    Write-Verbose "published $($published.Count) artifacts; waiting for the release manager"
    Suspend-Workflow
    "released: $(($published | Sort-Object) -join ', ')"
}

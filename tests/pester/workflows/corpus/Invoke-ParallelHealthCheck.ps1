<#
.SYNOPSIS
    Checks a service's dependencies in parallel - DNS, the database and the certificate - and summarises. A failing
    check writes an error record; the others go on and the job completes.
.DESCRIPTION
    Corpus: Parallel branches that are InlineScripts with $Using: returning objects, collected through
    $Workflow:; a non-terminating Write-Error inside a branch; Write-Output after the block.
#>
workflow Invoke-ParallelHealthCheck
{
    [OutputType([string])]
    param(
        [string] $Service = 'billing',
        [int] $CertificateDays = 20
    )

    $checks = @()
    Parallel
    {
        Sequence
        {
            $dns = InlineScript { [pscustomobject]@{ Check = 'dns'; Healthy = $true; Detail = "$Using:Service.contoso.com resolves" } }
            $Workflow:checks += $dns
        }
        Sequence
        {
            $db = InlineScript { [pscustomobject]@{ Check = 'database'; Healthy = $true; Detail = "sql-$Using:Service answers" } }
            $Workflow:checks += $db
        }
        Sequence
        {
            $cert = InlineScript {
                [pscustomobject]@{ Check = 'certificate'; Healthy = $Using:CertificateDays -ge 30; Detail = "expires in $Using:CertificateDays days" }
            }
            if (-not $cert.Healthy) { Write-Error "The certificate of $Service $($cert.Detail)" }
            $Workflow:checks += $cert
        }
    }
    foreach ($check in ($checks | Sort-Object Check))
    {
        "$($check.Check): $(if ($check.Healthy) { 'healthy' } else { 'UNHEALTHY' }) - $($check.Detail)"
    }
    "$(@($checks | Where-Object Healthy).Count) of $($checks.Count) checks healthy"
}

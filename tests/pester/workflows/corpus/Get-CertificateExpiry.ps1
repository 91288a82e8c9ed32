<#
.SYNOPSIS
    Reads the certificate store of each server with the monitoring account's credential, in parallel, and lists
    the certificates expiring within the warning period kept in a variable asset.
.DESCRIPTION
    Corpus: Get-AutomationPSCredential and Get-AutomationVariable in the workflow and inside foreach -parallel
    items, the credential handed to an InlineScript with $Using:, objects returned and sorted.
#>
workflow Get-CertificateExpiry
{
    param([string[]] $Servers = @('web1', 'web2', 'mail1'))

    $credential = Get-AutomationPSCredential -Name 'MonitoringAccount'
    $expiring = @()
    foreach -parallel ($server in $Servers)
    {
        $warnDays = Get-AutomationVariable -Name 'CertificateWarningDays'
        $certificates = InlineScript {
            # The real runbook used Invoke-Command -ComputerName $Using:server -Credential $Using:credential here.
            $days = @{ web1 = 12; web2 = 90; mail1 = 25 }[$Using:server]
            [pscustomobject]@{ Server = $Using:server; Subject = "CN=$Using:server.contoso.com"; DaysLeft = $days; ReadAs = $Using:credential.UserName }
        }
        foreach ($certificate in $certificates)
        {
            if ($certificate.DaysLeft -le $warnDays) { $Workflow:expiring += $certificate }
        }
    }
    foreach ($certificate in ($expiring | Sort-Object DaysLeft))
    {
        "$($certificate.Subject) expires in $($certificate.DaysLeft) days (read as $($certificate.ReadAs))"
    }
}

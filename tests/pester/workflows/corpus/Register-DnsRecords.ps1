#requires -Version 3.0
<#
.SYNOPSIS
    Registers A records for a zone's hosts and notifies the hostmaster.
.DESCRIPTION
    Corpus: a file as SMA authors saved them - a byte order mark, #requires, comment-based help, a signature block
    after the workflow. A Sequence outside Parallel (its variables stay visible after it), an [ordered] dictionary
    and method calls, a variable named $To (reserved in Windows PowerShell Workflow).
#>
workflow Register-DnsRecords
{
    param(
        [string] $Zone = 'contoso.com',
        [string[]] $Hosts = @('www', 'mail')
    )

    Sequence
    {
        $records = [ordered]@{}
        foreach ($name in $Hosts)
        {
            $records["$name.$Zone"] = '10.1.0.' + ($Hosts.IndexOf($name) + 10)
        }
    }
    foreach ($fqdn in $records.Keys)
    {
        "A $fqdn -> $($records[$fqdn])"
    }
    $To = "hostmaster@$Zone"
    "notified $To"
}

# SIG # Begin signature block
# MIIFuQYJKoZIhvcNAQcCoIIFqjCCBaYCAQExCzAJBgUrDgMCGgUAMGkGCisGAQQB
# gjcCAQSgWzBZMDQGCisGAQQBgjcCAR4wJgIDAQAABBAfzDtgWUsITrck0sYpfvNR
# AgEAAgEAAgEAAgEAAgEAMCEwCQYFKw4DAhoFAAQUexampleexampleexampleexa
# SIG # End signature block

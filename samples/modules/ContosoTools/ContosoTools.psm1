# A sample integration module. Send-ContosoReport takes a ContosoApi connection (a hashtable, as
# Get-AutomationConnection returns it) and pretends to post a report to that server.
function Send-ContosoReport {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [hashtable] $Connection,
        [Parameter(Mandatory)] [string] $Message
    )
    if (-not $Connection.ApiKey) { throw "The connection has no ApiKey." }
    $port = if ($Connection.Port) { $Connection.Port } else { 443 }
    "Posted to https://$($Connection.Server):$port/reports: $Message"
}

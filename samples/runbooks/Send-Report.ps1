# An SMA-style runbook that uses assets and an integration module (see README, "Assets and integration modules"):
# a variable, a credential, a connection of the ContosoApi type, and ContosoTools' Send-ContosoReport.
$recipients = Get-AutomationVariable -Name ReportRecipients
$account = Get-AutomationPSCredential -Name ReportAccount
$api = Get-AutomationConnection -Name ContosoProd

Send-ContosoReport -Connection $api -Message "Nightly report for $recipients, sent as $($account.UserName)"

$runs = Get-AutomationVariable -Name ReportRuns
Set-AutomationVariable -Name ReportRuns -Value ($runs + 1)
"Run number $($runs + 1)"

<#
.SYNOPSIS
    Fails with a terminating error, to show JobException and StatusDetails.
#>
param([string] $Path = '/no/such/file.txt')

"Reading $Path"
$content = Get-Content -Path $Path -ErrorAction Stop
"Never reached: $content"

<#
.SYNOPSIS
    Greets someone: the smallest runbook with a parameter.
#>
param(
    [Parameter(Mandatory)]
    [string] $Name,

    [int] $Times = 1
)

foreach ($i in 1..$Times) {
    "Hello, $Name! ($i of $Times)"
}
Write-Verbose "Greeted $Name $Times time(s)."

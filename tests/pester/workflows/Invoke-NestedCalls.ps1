<#
.SYNOPSIS
    Nested workflows and functions, called by name with named and positional parameters, also from a branch.
#>
workflow Invoke-NestedCalls
{
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory = $true)] [string] $Name)

    workflow Get-Greeting
    {
        param([string] $Who, [string] $Punctuation = '!')
        "Hello, $Who$Punctuation"
    }
    function Format-Shout([string] $Text) { $Text.ToUpperInvariant() }

    Get-Greeting -Who $Name
    Get-Greeting $Name '?'
    Format-Shout -Text (Get-Greeting -Who $Name)
    Parallel
    {
        Format-Shout "from a branch"
    }
    Get-Later -N 3
    function Get-Later { param([int] $N) "defined later, called with $N" }
}

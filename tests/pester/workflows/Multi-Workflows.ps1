<#
.SYNOPSIS
    Several workflows in one file: the runbook runs the one named by -Name (else the one named like the file);
    the others are helpers it calls.
#>
workflow Get-Square
{
    param([int] $N)
    $N * $N
}

workflow Report-Squares
{
    param([int] $Upto = 3)
    foreach ($i in 1..$Upto) { "square of $i is $(Get-Square -N $i)" }
    Get-Cube -N $Upto
}

workflow Get-Cube
{
    param([int] $N)
    "cube of $N is $($N * $N * $N)"
}

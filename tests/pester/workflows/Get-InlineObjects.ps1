<#
.SYNOPSIS
    InlineScript with $Using: returning live objects; its variables do not leak back.
#>
workflow Get-InlineObjects
{
    param([string] $Greeting = 'hello')

    $numbers = 1, 2, 3
    $builder = InlineScript {
        $inside = "$Using:Greeting from inline ($($Using:numbers.Count) numbers, first $($Using:numbers[0]))"
        [System.Text.StringBuilder]::new($inside)
    }
    [void] $builder.Append(' and more')
    $builder.ToString()
    "builder is $($builder.GetType().FullName)"
    "inside leaked: $($null -ne $inside)"
    $list = InlineScript { $l = [System.Collections.Generic.List[int]]::new(); $l.Add(7); ,$l }
    $list.Add(8)
    "list $($list -join ',') $($list.GetType().Name)"
}

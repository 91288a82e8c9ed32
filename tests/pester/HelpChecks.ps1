# What Get-Help must show for an exported cmdlet (DESIGN §6): dot-sourced by Help.Tests.ps1, also in a child pwsh
# against a deliberately damaged copy of the help to show that every check can fail.

function Get-HelpText {
    param($Node)
    if ($null -eq $Node) { return '' }
    return ((@($Node) | ForEach-Object { if ($_ -is [string]) { $_ } elseif ($_.PSObject.Properties['Text']) { $_.Text } else { "$_" } }) -join "`n").Trim()
}

# Everything missing from the help of one cmdlet, as readable lines; none when its help is complete.
function Get-SmaHelpProblems {
    param([Parameter(Mandatory)] [string] $Name, $Help)
    $command = Get-Command -Name $Name -CommandType Cmdlet
    $help = if ($Help) { $Help } else { Get-Help -Name $Name -Full -Category Cmdlet }
    $problems = [System.Collections.Generic.List[string]]::new()
    # Without MAML, Get-Help makes up a synopsis from the syntax and has no description: both count as missing.
    if (-not "$($help.Synopsis)".Trim() -or $help.Synopsis -match 'CommonParameters') { $problems.Add('synopsis') }
    if (-not (Get-HelpText $help.description)) { $problems.Add('description') }

    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $documented = @{}
    foreach ($p in @($help.parameters.parameter)) { if ($p) { $documented[$p.name] = $p } }
    foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
        if (-not $documented.ContainsKey($parameter)) { $problems.Add("parameter -$parameter"); continue }
        if (-not (Get-HelpText $documented[$parameter].description)) { $problems.Add("description of -$parameter") }
    }

    $examples = @($help.examples.example | Where-Object { $_ })
    if ($examples.Count -lt 2) { $problems.Add("examples: $($examples.Count) of at least 2") }
    $n = 0
    foreach ($example in $examples) {
        $n++
        if (-not "$($example.code)".Trim()) { $problems.Add("code of example $n") }
        if (-not (Get-HelpText $example.remarks)) { $problems.Add("description of example $n") }
    }

    $inputs = @($help.inputTypes.inputType | Where-Object { $_ -and "$($_.type.name)".Trim() })
    if ($inputs.Count -eq 0) { $problems.Add('inputs') }
    $outputs = @($help.returnValues.returnValue | Where-Object { $_ -and "$($_.type.name)".Trim() })
    if ($outputs.Count -eq 0) { $problems.Add('outputs') }
    foreach ($o in $outputs) { if (-not (Get-HelpText $o.description)) { $problems.Add("description of output $($o.type.name)") } }
    $links = @($help.relatedLinks.navigationLink | Where-Object { $_ -and ("$($_.linkText)".Trim() -or "$($_.uri)".Trim()) })
    if ($links.Count -eq 0) { $problems.Add('related link') }
    return $problems.ToArray()
}

# The example files of the exported cmdlets, each with its examples (Index, Title, Code) for data-driven tests.
function Get-SmaExampleFiles {
    . $PSScriptRoot/../../src/Sma.Cmdlets/Help/HelpSources.ps1
    $exported = (Import-PowerShellDataFile $env:SMA_TEST_MODULE).CmdletsToExport
    foreach ($name in $exported) {
        $path = Join-Path $PSScriptRoot "../../src/Sma.Cmdlets/Help/Examples/$name.md"
        if (-not (Test-Path $path)) { continue } # Help.Tests.ps1 reports the missing file
        $index = 0
        @{
            Cmdlet   = $name
            Path     = (Resolve-Path $path).Path
            Examples = @((Read-ExampleFile -Path $path).Examples | ForEach-Object { @{ Index = ++$index; Title = $_.Title; Code = $_.Code } })
        }
    }
}

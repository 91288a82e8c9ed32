# Combines what PowerShell itself knows about a cmdlet (Get-Command: parameter sets, types, mandatory, position,
# pipeline input, aliases, ValidateSet values, [SupportsWildcards], [OutputType]) with its XML doc comments and its
# example file into one help model, and lists what is missing. Dot-sourced by Build-SmaHelp.ps1, which runs in a
# child pwsh with the built module imported.

# -WhatIf and -Confirm come from SupportsShouldProcess, not from a property with a doc comment.
$script:ShouldProcessParameterText = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}

# A type as help shows it: Nullable unwrapped; short and full names.
function Get-HelpTypeName {
    param([Parameter(Mandatory)] [type] $Type)
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $Type = $inner }
    [pscustomobject]@{ Short = $Type.Name; Full = $Type.FullName }
}

# The value a parameter has when it is not given, read from a fresh instance of the cmdlet class; 'None' for the
# type's own default (null, 0, empty).
function Get-ParameterDefault {
    param($Instance, [string] $Name, $ValueDoc, [bool] $IsSwitch)
    if ($ValueDoc) { return $ValueDoc }
    $property = if ($Instance) { $Instance.GetType().GetProperty($Name) }
    if (-not $property) { return $(if ($IsSwitch) { 'False' } else { 'None' }) }
    $value = $property.GetValue($Instance)
    if ($value -is [System.Management.Automation.SwitchParameter]) { return [string]$value.IsPresent }
    if ($null -eq $value -or ($value -is [string] -and $value -eq '')) { return 'None' }
    if ($value -is [array]) { return $(if ($value.Count) { $value -join ', ' } else { 'None' }) }
    if ($value.GetType().IsValueType -and $value -eq [Activator]::CreateInstance($value.GetType())) { return 'None' }
    return [string]$value
}

function Get-PipelineInputText {
    param([bool] $ByValue, [bool] $ByPropertyName)
    if ($ByValue -and $ByPropertyName) { return 'True (ByValue, ByPropertyName)' }
    if ($ByValue) { return 'True (ByValue)' }
    if ($ByPropertyName) { return 'True (ByPropertyName)' }
    return 'False'
}

# The help model of one cmdlet. $Docs: Read-XmlDocumentation's lookup. $ExampleFile: its path (may not exist).
# $NameOfType maps a cref type id to the name a user knows.
function Get-CmdletHelpModel {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.CmdletInfo] $Command,
        [Parameter(Mandatory)] [hashtable] $Docs,
        [Parameter(Mandatory)] [string] $ExampleFile,
        [Parameter(Mandatory)] [scriptblock] $NameOfType
    )
    $name = $Command.Name
    $type = $Command.ImplementingType
    $problems = [System.Collections.Generic.List[string]]::new()
    $classDoc = $Docs["T:$($type.FullName)"]
    if (-not $classDoc) { $problems.Add("$name`: no XML doc comment on the class $($type.Name).") }

    $synopsis = @(ConvertFrom-DocElement (Get-DocChild $classDoc summary) $NameOfType) -join ' '
    $description = @(ConvertFrom-DocElement (Get-DocChild $classDoc remarks) $NameOfType)
    $returns = @(ConvertFrom-DocElement (Get-DocChild $classDoc returns) $NameOfType)
    if (-not $synopsis) { $problems.Add("$name`: no <summary> on $($type.Name) (the SYNOPSIS).") }
    if ($description.Count -eq 0) { $problems.Add("$name`: no <remarks> on $($type.Name) (the DESCRIPTION).") }

    # Parameters: every one but PowerShell's common parameters.
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $instance = try { [Activator]::CreateInstance($type) } catch { $null }
    $parameters = [System.Collections.Generic.List[object]]::new()
    $order = 0
    foreach ($meta in $Command.Parameters.Values) {
        if ($meta.Name -in $common) { continue }
        $property = $type.GetProperty($meta.Name)
        $doc = if ($property) { $Docs["P:$($property.DeclaringType.FullName).$($meta.Name)"] }
        $text = @(if ($ShouldProcessParameterText.ContainsKey($meta.Name) -and -not $property) {
                $ShouldProcessParameterText[$meta.Name]
            }
            else { ConvertFrom-DocElement (Get-DocChild $doc summary) $NameOfType })
        if ($text.Count -eq 0) {
            $where = if ($property) { "$($property.DeclaringType.Name).$($meta.Name)" } else { $meta.Name }
            $problems.Add("$name`: no <summary> on the parameter $where.")
        }
        $sets = @($meta.ParameterSets.Values)
        $positions = @($sets | Where-Object Position -ge 0 | ForEach-Object Position | Sort-Object -Unique)
        $mandatory = @($meta.ParameterSets.GetEnumerator() | ForEach-Object {
                [pscustomobject]@{ Set = $_.Key; Mandatory = $_.Value.IsMandatory } })
        $requiredText = if (@($mandatory.Mandatory | Sort-Object -Unique).Count -le 1) { "$([bool]$mandatory[0].Mandatory)".ToLowerInvariant() }
        else { ($mandatory | ForEach-Object { "$("$($_.Mandatory)".ToLowerInvariant()) ($($_.Set))" }) -join ', ' }
        $depth = 0; $declaring = if ($property) { $property.DeclaringType } else { [System.Management.Automation.PSCmdlet] }
        for ($t = $type; $t -and $t -ne $declaring; $t = $t.BaseType) { $depth++ }
        $parameters.Add([pscustomobject]@{
                Name           = $meta.Name
                Description    = $text
                Type           = Get-HelpTypeName $meta.ParameterType
                IsSwitch       = $meta.SwitchParameter
                Required       = $requiredText
                Position       = $(if ($positions.Count) { ($positions -join ', ') } else { 'named' })
                SortPosition   = $(if ($positions.Count) { $positions[0] } else { [int]::MaxValue })
                AnyMandatory   = [bool]($mandatory | Where-Object Mandatory)
                PipelineInput  = Get-PipelineInputText ([bool]($sets | Where-Object ValueFromPipeline)) ([bool]($sets | Where-Object ValueFromPipelineByPropertyName))
                ByValue        = [bool]($sets | Where-Object ValueFromPipeline)
                ByPropertyName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
                Aliases        = @($meta.Aliases)
                ValidValues    = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
                Globbing       = [bool]($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                VariableLength = $meta.ParameterType.IsArray
                Default        = Get-ParameterDefault $instance $meta.Name ((ConvertFrom-DocElement (Get-DocChild $doc value) $NameOfType) -join ' ') $meta.SwitchParameter
                # The cmdlet's own parameters first, then those of its base classes, then -WhatIf/-Confirm.
                Group          = $(if ($property) { $depth } else { 1000 })
                Order          = $order++
            })
    }
    $parameters = @($parameters | Sort-Object SortPosition, @{ Expression = { -not $_.AnyMandatory } }, Group, Order)
    $byName = @{}
    foreach ($p in $parameters) { $byName[$p.Name] = $p }

    # Syntax: one item per parameter set, the default set first, each with that set's own flags.
    $syntax = foreach ($set in @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })) {
        $items = foreach ($p in $set.Parameters) {
            if ($p.Name -in $common) { continue }
            [pscustomobject]@{
                Parameter     = $byName[$p.Name]
                Required      = $p.IsMandatory
                Position      = $(if ($p.Position -ge 0) { [string]$p.Position } else { 'named' })
                PipelineInput = Get-PipelineInputText $p.ValueFromPipeline $p.ValueFromPipelineByPropertyName
                Sort          = $(if ($p.Position -ge 0) { $p.Position } else { [int]::MaxValue })
                Rank          = [array]::IndexOf($parameters, $byName[$p.Name])
            }
        }
        [pscustomobject]@{
            Set        = $set.Name
            Parameters = @($items | Sort-Object Sort, @{ Expression = { -not $_.Required } }, Rank)
        }
    }

    # Inputs: what the pipeline binds, grouped by the type a piped value has.
    $inputs = @($parameters | Where-Object { $_.ByValue -or $_.ByPropertyName } | Group-Object { $_.Type.Full -replace '\[\]$', '' } |
            ForEach-Object {
                [pscustomobject]@{
                    Type        = $_.Name
                    Description = @($_.Group | ForEach-Object {
                            $how = @(if ($_.ByValue) { 'by value' }
                                if ($_.ByPropertyName) { "by property name ($((@($_.Name) + $_.Aliases) -join ', '))" }) -join ' and '
                            "-$($_.Name), $how`: $($_.Description -join ' ')"
                        })
                }
            })
    if ($inputs.Count -eq 0) {
        $inputs = @([pscustomobject]@{ Type = 'None'; Description = @("You can't pipe objects to $name.") })
    }

    # Outputs: the [OutputType] types, described by the class's <returns>.
    $outputTypes = @($Command.OutputType | ForEach-Object Name | Sort-Object -Unique)
    $outputs = if ($outputTypes.Count) {
        if ($returns.Count -eq 0) { $problems.Add("$name`: no <returns> on $($type.Name) (the OUTPUTS: what it writes, and when).") }
        foreach ($t in $outputTypes) { [pscustomobject]@{ Type = $t; Description = $returns } }
    }
    else {
        [pscustomobject]@{ Type = 'None'; Description = $(if ($returns.Count) { $returns } else { @("$name returns no output.") }) }
    }

    # Examples; related links: the class's <seealso>s, then the example file's '## Related'.
    $examples = @(); $links = [System.Collections.Generic.List[object]]::new()
    foreach ($see in @(if ($classDoc) { $classDoc.SelectNodes('seealso') })) {
        $links.Add($(if ($see.HasAttribute('href')) { [pscustomobject]@{ Text = $see.InnerText.Trim(); Uri = $see.GetAttribute('href') } }
                else { [pscustomobject]@{ Text = (& $NameOfType $see.GetAttribute('cref')); Uri = '' } }))
    }
    if (Test-Path -LiteralPath $ExampleFile) {
        $read = Read-ExampleFile $ExampleFile
        $examples = $read.Examples
        foreach ($p in $read.Problems) { $problems.Add("$name`: $p") }
        foreach ($l in $read.Related) { $links.Add((ConvertTo-HelpLink $l)) }
    }
    else { $problems.Add("$name`: no example file Examples/$(Split-Path $ExampleFile -Leaf) (src/Sma.Cmdlets/Help/README.md).") }
    if ($examples.Count -lt 2) { $problems.Add("$name`: $($examples.Count) example(s); write at least two, each with code and a description.") }
    $seen = @{}
    $links = @($links | Where-Object { $key = "$($_.Text)|$($_.Uri)"; if ($seen[$key]) { $false } else { $seen[$key] = $true; $true } })
    if ($links.Count -eq 0) { $problems.Add("$name`: no related link (a <seealso> on the class or a '## Related' section).") }

    [pscustomobject]@{
        Name        = $name
        Verb        = $Command.Verb
        Noun        = $Command.Noun
        Synopsis    = $synopsis
        Description = $description
        Syntax      = @($syntax)
        Parameters  = $parameters
        Inputs      = $inputs
        Outputs     = @($outputs)
        Examples    = @($examples)
        Links       = $links
        Problems    = $problems.ToArray()
    }
}

# A child element of a doc comment (<summary>, <remarks>, ...), or $null.
function Get-DocChild {
    param($Member, [string] $Name)
    if ($null -eq $Member) { return $null }
    return $Member.SelectSingleNode($Name)
}

# '- Get-SmaJob' or '- https://...' (or '[text](https://...)') from an example file's Related section.
function ConvertTo-HelpLink {
    param([string] $Text)
    if ($Text -match '^\[(.+)\]\((\S+)\)$') { return [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
    if ($Text -match '^[a-z]+://\S+$') { return [pscustomobject]@{ Text = ''; Uri = $Text } }
    return [pscustomobject]@{ Text = $Text; Uri = '' }
}

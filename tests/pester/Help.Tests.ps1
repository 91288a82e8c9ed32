# Get-Help (DESIGN §6): every exported cmdlet has full help, generated at build from its XML doc comments and its
# example file (src/Sma.Cmdlets/Help), plus about_Sma. The cmdlets are walked from the manifest, so a cmdlet added
# without help fails here.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile $env:SMA_TEST_MODULE
    $cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    $aliases = @($manifest.AliasesToExport | ForEach-Object { @{ Alias = $_ } })
}

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    . $PSScriptRoot/HelpChecks.ps1
    Initialize-SmaTestStore
    $common = [System.Management.Automation.Cmdlet]::CommonParameters

    # One line per parameter of a set: what binding needs to know, as Get-Command says it or as Get-Help shows it.
    function Get-MetadataSignature([System.Management.Automation.CommandParameterSetInfo] $Set) {
        ($Set.Parameters | Where-Object Name -NotIn $common | Sort-Object Name | ForEach-Object {
                $pipeline = @(if ($_.ValueFromPipeline) { 'ByValue' }; if ($_.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
                $values = @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
                '{0} required={1} position={2} pipeline={3} aliases={4} values={5}' -f $_.Name, "$($_.IsMandatory)".ToLowerInvariant(),
                $(if ($_.Position -ge 0) { $_.Position } else { 'named' }), $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }),
                $(if ($_.Aliases.Count) { $_.Aliases -join ', ' } else { 'none' }), ($values -join '|')
            }) -join "`n"
    }
    function Get-HelpSignature($SyntaxItem) {
        (@($SyntaxItem.parameter) | Sort-Object name | ForEach-Object {
                '{0} required={1} position={2} pipeline={3} aliases={4} values={5}' -f $_.name, $_.required, $_.position, $_.pipelineInput,
                $_.aliases, (@($_.parameterValueGroup.parameterValue | Where-Object { $_ }) -join '|')
            }) -join "`n"
    }
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help -Name $Name -Full -Category Cmdlet
    }

    It 'has a synopsis, a description, every parameter (SMA''s endpoint parameters and -StorePath too), two examples, inputs, outputs and a related link' {
        Get-SmaHelpProblems -Name $Name -Help $help | Should -BeNullOrEmpty -Because "the help of $Name must be complete"
    }

    It 'shows each parameter set exactly as PowerShell binds it' {
        $fromHelp = @($help.syntax.syntaxItem | ForEach-Object { Get-HelpSignature $_ }) | Sort-Object
        $fromMetadata = @((Get-Command $Name).ParameterSets | ForEach-Object { Get-MetadataSignature $_ }) | Sort-Object
        $fromHelp | Should -Be $fromMetadata
    }

    It 'renders with -Full' {
        $full = $help | Out-String -Width 200
        foreach ($section in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'RELATED LINKS') {
            $full | Should -Match "(?m)^$section" -Because "Get-Help $Name -Full shows $section"
        }
        foreach ($parameter in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $full | Should -Match "(?m)^    -$parameter [<\[]" -Because "Get-Help $Name -Full shows -$parameter"
        }
        $full | Should -Match '(?m)^\s*-+ Example 1: \S' -Because "Get-Help $Name -Full shows the examples with their titles"
        $full | Should -Match '(?m)^\s*-+ Example 2: \S'
    }
}

# The -Examples and -Parameter views render the same MAML as -Full (one writer makes every cmdlet's), so a few cmdlets
# of different shapes are enough to show that they work.
Describe 'Get-Help <Name> -Examples and -Parameter' -ForEach @(
    @{ Name = 'Start-SmaRunbook'; Parameter = 'Parameters' }
    @{ Name = 'Get-SmaJob'; Parameter = 'JobStatus' }
    @{ Name = 'Set-SmaSchedule'; Parameter = 'StartTime' }
) {
    It 'shows the examples alone' {
        $examples = Get-Help -Name $Name -Examples | Out-String -Width 200
        $examples | Should -Match 'Example 1: \S'
        $examples | Should -Match 'Example 2: \S'
        $examples | Should -Not -Match '(?m-i)^PARAMETERS'
    }

    It 'shows one parameter with its attributes' {
        $text = Get-Help -Name $Name -Parameter $Parameter | Out-String -Width 200
        $text | Should -Match "(?m)^-$Parameter [<\[]"
        foreach ($attribute in 'Required\?', 'Position\?', 'Accept pipeline input\?', 'Accept wildcard characters\?') {
            $text | Should -Match $attribute
        }
    }
}

Describe 'Get-Help <Alias>' -ForEach $aliases {
    It 'is the help of the cmdlet it stands for' {
        $command = (Get-Command -Name $Alias -CommandType Alias).ResolvedCommand
        $help = Get-Help -Name $Alias -Full
        $help.Name | Should -Be $command.Name
        Get-SmaHelpProblems -Name $command.Name -Help $help | Should -BeNullOrEmpty
        ($help.aliases | Out-String) + ($help | Out-String -Width 200) | Should -Match ([regex]::Escape($Alias)) -Because "the help of $($command.Name) names its alias $Alias"
    }
}

Describe 'Get-Help about_Sma' {
    BeforeAll {
        $about = Get-Help about_Sma
        $text = "$($about)"
    }

    It 'is found once the module is imported' {
        $about.Category | Should -Be 'HelpFile'
        $about.Synopsis | Should -Match 'SMA'
    }

    It 'covers <_>' -ForEach 'STATUSES', 'THE TRANSITION RULES', 'CHECKPOINTS AND RESUME', 'CHILD RUNBOOKS',
    'CMDLETS INSIDE JOBS', 'WORKERS AND RECOVERY', 'SCHEDULES', 'STORES AND WHERE THEY LIVE', 'SECRETS', 'ENVIRONMENT VARIABLES', 'ERRORS' {
        $text | Should -Match "(?m)^$([regex]::Escape($_))$"
    }

    It 'names the environment variable <_>' -ForEach 'SMA_STORE', 'SMA_KEY_FILE', 'SMA_THROTTLE_LIMIT', 'SMA_WORKER_TIMEOUT',
    'SMA_STOP_TIMEOUT', 'SMA_SCHEDULE_GRACE' {
        $text | Should -Match "(?m)^    $_$"
    }

    It 'gives both names of the statuses that have two: JobStatus New and Activating, Status Queued and Starting' {
        $text | Should -Match '(?m)^\s+Status\s+Queued\s+Starting\b'
        $text | Should -Match '(?m)^\s+JobStatus\s+New\s+Activating\b'
    }

    It 'lists the ten statuses' {
        foreach ($status in 'Queued', 'Starting', 'Running', 'Completed', 'Failed', 'Stopping', 'Stopped', 'Suspending', 'Suspended', 'Resuming') {
            $text | Should -Match "(?m)^        $status\s" -Because "about_Sma describes $status"
        }
    }
}

Describe 'The help checks' {
    It 'report each missing piece of a cmdlet''s help' {
        # A copy of the built module whose help lacks one piece per cmdlet, checked in a child pwsh.
        $copy = Join-Path $SmaTestFolder 'damaged/Sma'
        New-Item -ItemType Directory -Path (Split-Path $copy) -Force | Out-Null
        Copy-Item -Path (Split-Path $env:SMA_TEST_MODULE) -Destination $copy -Recurse
        $mamlPath = Join-Path $copy 'en-US/Sma.Cmdlets.dll-Help.xml'
        [xml] $maml = Get-Content -Raw $mamlPath
        $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        function Remove-Node([string] $Cmdlet, [string] $XPath) {
            $nodes = @($maml.SelectNodes("//command:command[command:details/command:name='$Cmdlet']/$XPath", $ns))
            $nodes.Count | Should -BeGreaterThan 0 -Because "$XPath exists in the help of $Cmdlet"
            foreach ($node in $nodes) { [void]$node.ParentNode.RemoveChild($node) }
        }
        Remove-Node 'Stop-SmaJob' 'command:details/maml:description'
        Remove-Node 'Get-SmaJob' 'maml:description'
        Remove-Node 'Wait-SmaJob' "command:parameters/command:parameter[maml:name='Timeout']/maml:description"
        Remove-Node 'Get-SmaRunbook' "command:parameters/command:parameter[maml:name='Port']"
        Remove-Node 'Test-SmaStore' 'command:examples/command:example[position() > 1]'
        Remove-Node 'Show-SmaDashboard' 'command:examples/command:example[1]/dev:code'
        Remove-Node 'Get-SmaJobOutput' 'command:examples/command:example[2]/dev:remarks'
        Remove-Node 'Publish-SmaRunbook' 'command:inputTypes'
        Remove-Node 'Resume-SmaJob' 'command:returnValues'
        Remove-Node 'Import-SmaRunbook' 'command:returnValues/command:returnValue/maml:description'
        Remove-Node 'Remove-SmaJob' 'maml:relatedLinks'
        $maml.Save($mamlPath)
        # The damaged cmdlets, and two left intact that must report nothing.
        $damaged = @('Stop-SmaJob', 'Get-SmaJob', 'Wait-SmaJob', 'Get-SmaRunbook', 'Test-SmaStore', 'Show-SmaDashboard', 'Get-SmaJobOutput',
            'Publish-SmaRunbook', 'Resume-SmaJob', 'Import-SmaRunbook', 'Remove-SmaJob', 'Set-SmaSchedule', 'Get-SmaJobHistory')

        $checks = Join-Path $PSScriptRoot 'HelpChecks.ps1'
        $lines = Invoke-ChildPwsh -NoImport @"
Import-Module '$copy/Sma.psd1'
. '$checks'
foreach (`$name in '$($damaged -join "', '")') {
    foreach (`$problem in Get-SmaHelpProblems -Name `$name) { "`${name}: `$problem" }
}
"@
        $lines | Sort-Object | Should -Be @(
            'Get-SmaJob: description'
            'Get-SmaJobOutput: description of example 2'
            'Get-SmaRunbook: parameter -Port'
            'Import-SmaRunbook: description of output Sma.Engine.Model.Runbook'
            'Publish-SmaRunbook: inputs'
            'Remove-SmaJob: related link'
            'Resume-SmaJob: outputs'
            'Show-SmaDashboard: code of example 1'
            'Stop-SmaJob: synopsis'
            'Test-SmaStore: examples: 1 of at least 2'
            'Wait-SmaJob: description of -Timeout'
        )
    }
}

Describe 'The example file format (src/Sma.Cmdlets/Help/Examples)' {
    BeforeAll {
        . $PSScriptRoot/../../src/Sma.Cmdlets/Help/HelpSources.ps1
        function Read-Example([string] $Text) {
            $path = Join-Path $TestDrive 'Verb-Noun.md'
            Set-Content -Path $path -Value $Text -NoNewline
            Read-ExampleFile -Path $path
        }
    }

    It 'reads titles, code, descriptions of several paragraphs and related links' {
        $read = Read-Example @'
## First example

```powershell
Get-SmaJob -First 1
Get-SmaJobOutput -Id $job
```

A description that is
wrapped over lines.

A second paragraph.

## Second example
```powershell
Start-SmaRunbook -Name Hello -Wait
```
Right after the code.
## Related

- Get-SmaJob
- https://example.org/sma
'@
        $read.Problems | Should -BeNullOrEmpty
        $read.Examples.Count | Should -Be 2
        $read.Examples[0].Title | Should -Be 'First example'
        $read.Examples[0].Code | Should -Be "Get-SmaJob -First 1`nGet-SmaJobOutput -Id `$job"
        $read.Examples[0].Remarks | Should -Be @('A description that is wrapped over lines.', 'A second paragraph.')
        $read.Examples[1].Code | Should -Be 'Start-SmaRunbook -Name Hello -Wait'
        $read.Examples[1].Remarks | Should -Be @('Right after the code.')
        $read.Related | Should -Be @('Get-SmaJob', 'https://example.org/sma')
    }

    It 'reports <Case>' -ForEach @(
        @{ Case = 'an example without a code block'; Text = "## Title`n`nJust words.`n"; Expected = 'must start with a fenced code block' }
        @{ Case = 'a code block that is not PowerShell'; Text = "## Title`n``````text`nx`n```````nWords.`n"; Expected = 'must start with a fenced code block' }
        @{ Case = 'a code block never closed'; Text = "## Title`n``````powershell`nGet-SmaJob`n"; Expected = 'never closed' }
        @{ Case = 'an example with empty code'; Text = "## Title`n``````powershell`n```````nWords.`n"; Expected = 'has no code' }
        @{ Case = 'an example without a description'; Text = "## Title`n``````powershell`nGet-SmaJob`n```````n"; Expected = 'has no description' }
        @{ Case = 'text before the first example'; Text = "Intro`n## Title`n``````powershell`nGet-SmaJob`n```````nWords.`n"; Expected = 'text before the first' }
        @{ Case = 'a Related section that is not last'; Text = "## Related`n- Get-SmaJob`n## Title`n``````powershell`nGet-SmaJob`n```````nWords.`n"; Expected = 'must be the last section' }
        @{ Case = 'a related line that is not a list item'; Text = "## Title`n``````powershell`nGet-SmaJob`n```````nWords.`n## Related`nGet-SmaJob`n"; Expected = 'is not a' }
    ) {
        (Read-Example $Text).Problems -join "`n" | Should -Match ([regex]::Escape($Expected))
    }
}

# A corpus of SMA workflow runbooks written as SMA users write them (tests/pester/workflows/corpus/): each is imported
# and run to the status, output, records, marker counts and resumes its row in corpus/Corpus.psd1 expects; and the
# runbooks refused with their line. Workflows.Tests.ps1 tests the constructs one by one; this file runs them as runbooks.

BeforeDiscovery {
    $corpus = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'workflows/corpus/Corpus.psd1')
    $runs = $corpus.Runs
    $refused = $corpus.Refused
}

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $script:corpusFolder = Join-Path $PSScriptRoot 'workflows/corpus'
    $script:imported = [Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    $script:streams = 'Output', 'Verbose', 'Warning', 'Debug', 'Progress', 'Information'

    function New-TestFolder { (New-Item -ItemType Directory -Path (Join-Path $SmaTestFolder ([guid]::NewGuid().ToString('n')))).FullName }
    function Get-Texts($Job, [string] $Stream) { @(Get-SmaJobOutput -Id $Job -Stream $Stream | ForEach-Object StreamText) }

    # Replaces {line:TEXT} (the first line that starts with TEXT, leading blanks aside, in the first of $Paths that has
    # one: the runbooks' help mentions their commands too), {Markers}, {Work}, {JobId}, {RestartedJobId} in $Text.
    function Expand-Text([string] $Text, [string[]] $Paths, [hashtable] $Values) {
        $expanded = [regex]::Replace($Text, '\{line:(.+?)\}', {
                param($m)
                foreach ($path in $Paths) {
                    $lines = Get-Content -Path $path
                    for ($i = 0; $i -lt $lines.Count; $i++) {
                        if ($lines[$i].TrimStart().StartsWith($m.Groups[1].Value, [StringComparison]::Ordinal)) { return [string] ($i + 1) }
                    }
                }
                throw "No file of $($Paths -join ', ') has '$($m.Groups[1].Value)'."
            })
        foreach ($key in $Values.Keys) { $expanded = $expanded.Replace("{$key}", [string] $Values[$key]) }
        $expanded
    }
    function Expand-Value($Value, [string[]] $Paths, [hashtable] $Values) {
        if ($null -eq $Value) { return }
        if ($Value -is [string]) { return Expand-Text $Value $Paths $Values }
        if ($Value -is [array]) { return $Value | ForEach-Object { Expand-Value $_ $Paths $Values } }
        $Value
    }

    # Marker files are <name>-<guid>: how many of each name.
    function Get-MarkerCounts([string] $Folder) {
        $counts = @{}
        Get-ChildItem $Folder | ForEach-Object { $counts[$_.Name -replace '-[0-9a-f]{32}$'] += 1 }
        $counts
    }
    function Format-Counts([hashtable] $Counts) { @($Counts.Keys | Sort-Object | ForEach-Object { "$_=$($Counts[$_])" }) }

    function Import-CorpusRunbook([string] $Name) {
        if ($script:imported.Add($Name)) {
            Import-SmaRunbook -Path (Join-Path $script:corpusFolder "$Name.ps1") -Publish -ErrorAction Stop | Out-Null
        }
    }
}

AfterAll {
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'The workflow corpus runs as SMA ran it' {
    It '<Runbook>: <Case>' -ForEach $runs {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        # (PowerShell's variables ignore case: the row's keys, like $Parameters and $Errors, need names of their own here)
        $toImport = if ($Imports) { $Imports } else { @($Runbook) }
        $paths = @($Runbook) + $toImport | Select-Object -Unique | ForEach-Object { Join-Path $corpusFolder "$_.ps1" }
        $values = @{ Markers = (New-TestFolder); Work = (New-TestFolder) }
        $x = { param($v) Expand-Value $v $paths $values }

        foreach ($name in $toImport) { Import-CorpusRunbook $name }
        $logging = if ($Log) { $Log } else { @{} }
        Set-SmaRunbookConfiguration -Name $Runbook -LogVerbose ([bool] $logging.LogVerbose) -LogProgress ([bool] $logging.LogProgress) -LogDebug ([bool] $logging.LogDebug) | Out-Null
        if ($Variables) { foreach ($key in $Variables.Keys) { Set-SmaVariable -Name $key -Value $Variables[$key] } }
        if ($Credentials) {
            foreach ($key in $Credentials.Keys) {
                $user, $password = $Credentials[$key]
                Set-SmaCredential -Name $key -Value ([pscredential]::new($user, (ConvertTo-SecureString $password -AsPlainText -Force)))
            }
        }
        foreach ($file in @($Files)) { if ($file) { Set-Content -Path (Join-Path $values.Work $file) -Value 'archive' } }
        $startWith = @{}
        if ($Parameters) { foreach ($key in $Parameters.Keys) { $startWith[$key] = & $x $Parameters[$key] } }

        if ($Hold) {
            $job = Start-SmaRunbook -Name $Runbook -Parameters $startWith
            Wait-Until { @(Get-ChildItem $values.Markers -Filter $Hold.Marker).Count -gt 0 } -TimeoutSeconds 120 -Because $Hold.Marker
            Wait-TestJobStatus -Id $job -Status Running -TimeoutSeconds 120 | Out-Null
            (Suspend-SmaJob -Id $job -PassThru).JobStatus | Should -Be 'Suspending'
            Set-Content -Path (Join-Path $values.Work $Hold.Release) -Value 'released'
            $job = Wait-SmaJob -Id $job -Timeout 120
        }
        else {
            $job = Start-SmaRunbook -Name $Runbook -Parameters $startWith -Wait -Timeout 120
        }
        $values.JobId = $job.JobId

        foreach ($suspension in @($Suspensions)) {
            if (-not $suspension) { continue }
            $job.JobStatus | Should -Be 'Suspended' -Because "it suspends here ($($job.StatusDetails))"
            $job.StatusDetails | Should -BeLike (& $x $suspension.Details)
            if ($suspension.Exception) { $job.JobException | Should -BeLike (& $x $suspension.Exception) }
            if ($suspension.SetVariables) { foreach ($key in $suspension.SetVariables.Keys) { Set-SmaVariable -Name $key -Value $suspension.SetVariables[$key] } }
            foreach ($file in @($suspension.CreateFiles)) { if ($file) { Set-Content -Path (Join-Path $values.Work $file) -Value 'archive' } }
            Resume-SmaJob -Id $job
            $job = Wait-SmaJob -Id $job -Timeout 120
        }

        $job.JobStatus | Should -Be $Status -Because "$($job.StatusDetails) $($job.JobException)"
        if ($Details) { $job.StatusDetails | Should -BeLike (& $x $Details) }
        if ($Exception) { $job.JobException | Should -BeLike (& $x $Exception) }

        if ($Restarted) {
            Wait-Until { @(Get-SmaJob -RunbookName $Runbook).Count -ge 2 } -TimeoutSeconds 120 -Because 'the job it started'
            $other = @(Get-SmaJob -RunbookName $Runbook | Where-Object JobId -NE $job.JobId)
            $other.Count | Should -Be 1
            $values.RestartedJobId = $other[0].JobId
            $second = Wait-SmaJob -Id $other[0].JobId -Timeout 120
            $second.JobStatus | Should -Be 'Completed' -Because $second.StatusDetails
            Get-Texts $second Output | Should -Be (& $x $Restarted.Output)
            @(Get-SmaJob -RunbookName $Runbook).Count | Should -Be 2 -Because 'the second run started no third'
        }

        $unordered = @($Sorted)
        foreach ($stream in $streams) {
            $expected = @(& $x (Get-Variable -Name $stream -ValueOnly -ErrorAction Ignore))
            $actual = @(Get-Texts $job $stream)
            if ($stream -in $unordered) { $actual = @($actual | Sort-Object); $expected = @($expected | Sort-Object) }
            $actual | Should -Be $expected -Because "the job's $stream records"
        }
        $errorTexts = @(Get-Texts $job Error)
        $expectedErrors = @(& $x $Errors)
        $errorTexts.Count | Should -Be $expectedErrors.Count -Because "the job's Error records: $($errorTexts -join ' | ')"
        for ($i = 0; $i -lt $errorTexts.Count; $i++) { $errorTexts[$i] | Should -BeLike $expectedErrors[$i] }
        (Get-SmaJob -Id $job).ErrorCount | Should -Be $expectedErrors.Count

        if ($Markers) {
            Format-Counts (Get-MarkerCounts $values.Markers) | Should -Be (Format-Counts $Markers) -Because 'each step runs exactly once (or as often as the row says)'
        }
        $resumes = @(Get-SmaJobHistory -Id $job -StatusOnly | Where-Object Text -Like 'Resuming -> Running:*' | ForEach-Object Text)
        $resumes | Should -Be @(& $x $History)
        if ($VariablesAfter) {
            foreach ($key in $VariablesAfter.Keys) { (Get-SmaVariable -Name $key).Value | Should -Be $VariablesAfter[$key] }
        }
    }
}

Describe 'Runbooks refused with their line' {
    It '<Case>: <ErrorId>' -ForEach $refused {
        $paths = @($Files | ForEach-Object { Join-Path $corpusFolder "refused/$_.ps1" })
        $message = Expand-Text $Message $paths @{}
        if ($Stage -eq 'Import') {
            $before = Get-StoreCounts
            $err = @(Get-NonTerminatingError { Import-SmaRunbook -Path $paths[0] -Publish })
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err[0].CategoryInfo.Category | Should -Be $Category
            $err[0].Exception.Message | Should -BeLike $message
            (Get-StoreCounts).Runbooks | Should -Be $before.Runbooks -Because 'nothing was stored'
            Get-SmaRunbook -Name $Files[0] -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        else {
            foreach ($path in $paths) { Import-SmaRunbook -Path $path -Publish | Out-Null }
            $before = Get-StoreCounts
            $report = Get-ErrorReport { Start-SmaRunbook -Name $Runbook }
            $report | Should -Not -BeNullOrEmpty
            $report.Error.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $report.Error.CategoryInfo.Category | Should -Be $Category
            $report.Error.Exception.Message | Should -BeLike $message
            (Get-StoreCounts).Jobs | Should -Be $before.Jobs -Because 'no job was created'
        }
    }
}

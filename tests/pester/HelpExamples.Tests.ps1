# The examples of Get-Help (src/Sma.Cmdlets/Help/Examples) are real: each parses, names only parameters its
# commands have, and runs without an error. Each cmdlet's examples run in order, in a child pwsh, against a fresh
# store holding the sample runbooks (published) and one ended job of Hello, Write-Streams and Fail, in a folder with
# copies of the sample runbook files.

BeforeDiscovery {
    . $PSScriptRoot/HelpChecks.ps1
    $files = Get-SmaExampleFiles
}

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    . $PSScriptRoot/HelpChecks.ps1
    . $PSScriptRoot/../../src/Sma.Cmdlets/Help/HelpSources.ps1
    Initialize-SmaTestStore
    $samples = (Resolve-Path (Join-Path $PSScriptRoot '../../samples/runbooks')).Path

    # Examples that cannot run unattended, and why; they are still parsed and their parameters checked.
    $notRun = @{
        'Start-SmaWorker' = 'Start-SmaWorker blocks until the worker is stopped, and example 2 needs pwsh on the PATH'
    }
    # What some examples need besides the common fixture.
    $setup = @{
        'Stop-SmaWorker' = @'
$pwsh = if ((Split-Path ([Environment]::ProcessPath) -Leaf) -match '^dotnet(\.exe)?$') { @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll')) } else { @([Environment]::ProcessPath) }
$worker = Start-Process -FilePath $pwsh[0] -PassThru -RedirectStandardOutput ./worker.log -ArgumentList (@($pwsh | Select-Object -Skip 1) +
    @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$env:SMA_TEST_MODULE'; Start-SmaWorker -Name W1"))
$deadline = [DateTime]::UtcNow.AddSeconds(60)
while ((Get-SmaRunbookWorkerDeployment -Name W1).Status -ne 'Running') {
    if ([DateTime]::UtcNow -gt $deadline -or $worker.HasExited) { throw 'The worker W1 did not start.' }
    Start-Sleep -Milliseconds 100
}
'@
    }

    # Runs every example of every cmdlet in one fresh pwsh (a hung example cannot hang the suite: the process has a
    # deadline). Per cmdlet: a new folder and store, the module imported afresh (Remove-Module closes the previous
    # store's embedded worker), the fixture, then the examples in order. Returns @{ 'Cmdlet/index' = 'passed' or the error }.
    function Invoke-Examples([object[]] $Files) {
        $resultsFile = Join-Path $SmaTestFolder 'results.jsonl'
        $plan = Join-Path $SmaTestFolder 'plan.json'
        @($Files | ForEach-Object { [pscustomobject]@{ Cmdlet = $_.Cmdlet; Path = $_.Path; Setup = $setup[$_.Cmdlet] } }) |
            ConvertTo-Json -Depth 3 | Set-Content -Path $plan
        $script = @"
`$ErrorActionPreference = 'Stop'
`$PSStyle.OutputRendering = 'PlainText'
. '$PSScriptRoot/../../src/Sma.Cmdlets/Help/HelpSources.ps1'
foreach (`$file in Get-Content -Raw '$plan' | ConvertFrom-Json) {
    `$folder = Join-Path '$SmaTestFolder' `$file.Cmdlet
    New-Item -ItemType Directory -Path `$folder | Out-Null
    Copy-Item -Path '$samples/*.ps1' -Destination `$folder
    Set-Location -LiteralPath `$folder
    `$env:SMA_STORE = Join-Path `$folder 'sma.db'
    `$env:SMA_KEY_FILE = Join-Path `$folder 'secret.key'
    `$examples = @((Read-ExampleFile -Path `$file.Path).Examples)
    `$ready = try {
        Remove-Module Sma -ErrorAction Ignore
        Import-Module '$env:SMA_TEST_MODULE'
        Get-ChildItem -Path ./*.ps1 | Import-SmaRunbook -Publish | Out-Null
        `$fixture = @(
            Start-SmaRunbook -Name Hello -Parameters @{ Name = 'World' }
            Start-SmaRunbook -Name Write-Streams
            Start-SmaRunbook -Name Fail
        ) | Wait-SmaJob -Timeout 120
        if (@(`$fixture | Where-Object JobStatus -NotIn 'Completed', 'Failed').Count) { throw 'the fixture jobs did not end' }
        if (`$file.Setup) { . ([scriptblock]::Create(`$file.Setup)) }
        'ready'
    }
    catch { "the fixture failed: `$_" }
    for (`$index = 1; `$index -le `$examples.Count; `$index++) {
        `$result = if (`$ready -ne 'ready') { `$ready } else {
            try {
                # Pester (slow to import) only for the examples that use it.
                if (`$examples[`$index - 1].Code -match '\bShould\b' -and -not (Get-Module Pester)) { Import-Module '$(Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1')' }
                & ([scriptblock]::Create(`$examples[`$index - 1].Code)) | Out-String -Width 200 | Out-Null
                'passed'
            }
            catch { "`$(`$_.FullyQualifiedErrorId): `$_" }
        }
        @{ Key = "`$(`$file.Cmdlet)/`$index"; Result = `$result } | ConvertTo-Json -Compress | Add-Content -Path '$resultsFile'
    }
    Get-SmaRunbookWorkerDeployment | Where-Object { -not `$_.IsEmbedded -and `$_.Status -eq 'Running' } | Stop-SmaWorker -Wait | Out-Null
}
"@
        $file = Join-Path $SmaTestFolder 'run-examples.ps1'
        Set-Content -Path $file -Value $script
        $pwsh = Get-PwshCommand
        $process = Start-Process -FilePath $pwsh[0] -PassThru -RedirectStandardOutput "$file.log" -RedirectStandardError "$file.err" `
            -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file))
        $finished = $process.WaitForExit(1200000)
        if (-not $finished) { $process.Kill($true) }
        $results = @{}
        foreach ($line in Get-Content -Path $resultsFile -ErrorAction Ignore) {
            $entry = $line | ConvertFrom-Json
            $results[$entry.Key] = $entry.Result
        }
        $script:ExampleRunLog = "$(if (-not $finished) { 'The examples did not finish within 20 minutes. ' })" +
            "$(Get-Content -Raw "$file.err" -ErrorAction Ignore) $(Get-Content -Raw "$file.log" -ErrorAction Ignore)"
        return $results
    }
    $results = Invoke-Examples -Files @(Get-SmaExampleFiles | Where-Object { -not $notRun.ContainsKey($_.Cmdlet) })
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'The examples of <Cmdlet>' -ForEach $files {
    It 'example <Index> parses and uses only parameters its commands have: <Title>' -ForEach $Examples {
        $tokens = $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
        $errors | Should -BeNullOrEmpty
        foreach ($call in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $command = Get-Command -Name $call.GetCommandName() -Module Sma -ErrorAction Ignore
            if (-not $command) { continue }
            foreach ($parameter in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                { $command.ResolveParameter($parameter.ParameterName) } | Should -Not -Throw -Because "$($command.Name) must have -$($parameter.ParameterName)"
            }
        }
    }

    It 'example <Index> runs without an error: <Title>' -ForEach $Examples {
        if ($notRun.ContainsKey($Cmdlet)) { Set-ItResult -Skipped -Because $notRun[$Cmdlet]; return }
        $results["$Cmdlet/$Index"] | Should -Be 'passed' -Because $ExampleRunLog
    }
}

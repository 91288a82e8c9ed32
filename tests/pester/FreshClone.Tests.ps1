# A fresh clone on a fresh machine, left out of CI (tens of minutes); run it with:
#     dotnet pwsh -NoProfile -File build.ps1 -Task Test -FreshClone
# Clones HEAD into a temporary folder and runs the README's two commands there exactly as the README shows them,
# with an empty HOME and an empty NuGet cache (so PowerShell, Pester and every package are restored anew): the test
# command first (the one a first build broke), which must end with "tests: N passed, 0 failed", then the demo.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
}

# The setup lives inside the tagged block, so it only runs when the tag is included.
Describe 'A fresh clone runs the README''s commands' -Tag FreshClone {
    BeforeAll {
        $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $work = Join-Path ([IO.Path]::GetTempPath()) ('sma-freshclone-' + [guid]::NewGuid().ToString('n'))
        $repo = Join-Path $work 'repo'
        $emptyHome = Join-Path $work 'home'
        $packages = Join-Path $work 'nuget-packages'
        New-Item -ItemType Directory -Path $emptyHome, $packages | Out-Null
        git clone --quiet $root $repo
        if ($LASTEXITCODE -ne 0) { throw "git clone $root failed." }
        $results = if ($env:SMA_TEST_RESULTS) { $env:SMA_TEST_RESULTS } else { $work }

        # The README's commands, as written in its "Try it" section.
        $readme = Get-Content (Join-Path $repo 'README.md')
        $commands = @($readme | Where-Object { $_ -match '^dotnet tool restore && dotnet pwsh .*build\.ps1 -Task (Demo|Test)$' })

        # Runs one command in the clone with bash, as a user's shell would, on an empty HOME and NuGet cache and
        # without anything this test run set for itself; returns its output lines and writes them to a log.
        function Invoke-InClone([string] $Command, [string] $Log) {
            $unset = 'SMA_STORE', 'SMA_KEY_FILE', 'SMA_TEST_MODULE', 'SMA_TEST_RESULTS', 'SMA_THROTTLE_LIMIT', 'PSModulePath',
                'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'DOTNET_CLI_HOME' | ForEach-Object { '-u', $_ }
            # The log is written in this test's own folder (another run may empty the results folder meanwhile).
            $own = Join-Path $work (Split-Path $Log -Leaf)
            & env @unset "HOME=$emptyHome" "NUGET_PACKAGES=$packages" timeout --kill-after=30s 80m bash -c "cd '$repo' && $Command" *> $own
            $script:exit = $LASTEXITCODE
            Copy-Item $own $Log -ErrorAction Ignore
            return @(Get-Content $own)
        }
    }

    AfterAll {
        if ($work -and (Test-Path $work)) { Remove-Item $work -Recurse -Force -ErrorAction Ignore }
    }

    It 'finds the two commands in the README' {
        $commands.Count | Should -Be 2
    }

    It 'runs every test: <Command>' -ForEach @(@{ Command = 'dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Task Test' }) {
        $commands | Should -Contain $Command
        $lines = Invoke-InClone $Command (Join-Path $results 'freshclone-test.log')
        $summary = @($lines | Where-Object { $_ -match '^tests: \d+ passed, \d+ failed$' })[-1]
        $summary | Should -Match '^tests: [1-9]\d* passed, 0 failed$' -Because (($lines | Select-Object -Last 40) -join "`n")
        $script:exit | Should -Be 0
        ($lines -join "`n") | Should -Match 'first build: 1 passed, 0 failed'
    }

    It 'runs the demo: <Command>' -ForEach @(@{ Command = 'dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Task Demo' }) {
        $commands | Should -Contain $Command
        $lines = Invoke-InClone $Command (Join-Path $results 'freshclone-demo.log')
        $script:exit | Should -Be 0 -Because (($lines | Select-Object -Last 30) -join "`n")
        ($lines -join "`n") | Should -Match 'Module ready'
    }
}

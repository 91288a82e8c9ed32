# Soak (DESIGN §8), left out of CI; run it with:
#     dotnet pwsh -NoProfile -File build.ps1 -Task Test -Soak
# 50,000 jobs over three worker processes: every job runs exactly once, none fails, and the workers' memory stays
# flat. Reports jobs/s, failures, duplicates and each worker's resident memory at start and end.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
}

# The setup lives inside the tagged block, so it only runs when the tag is included.
Describe 'Soak: 50,000 jobs over three worker processes' -Tag Soak {
    BeforeAll {
        Initialize-SmaTestStore
        $count = if ($env:SMA_SOAK_JOBS) { [int]$env:SMA_SOAK_JOBS } else { 50000 }
        $ledger = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'ledger')
        New-TestRunbook -Name Soak -Source "param([string] `$Id) New-Item -ItemType File -Path (Join-Path '$ledger' `"`$Id.`$([guid]::NewGuid().ToString('n'))`") | Out-Null; `"done `$Id`"" | Out-Null
        function Get-RssMB([int] $ProcessId) {
            $line = Get-Content "/proc/$ProcessId/status" | Where-Object { $_ -like 'VmRSS:*' }
            [math]::Round(([long]($line -replace '\D', '')) / 1KB)
        }
        $workers = foreach ($name in 'S1', 'S2', 'S3') { [pscustomobject]@{ Name = $name; Process = (Start-TestWorker -Name $name -ThrottleLimit 4) } }
        # Warm every worker up before taking the starting figure.
        $warm = foreach ($i in 1..60) { Start-SmaRunbook Soak -Parameters @{ Id = "warm$i" } }
        $warm | Wait-SmaJob -Timeout 300 | Out-Null
        foreach ($w in $workers) { $w | Add-Member RssStartMB (Get-RssMB $w.Process.Id) }

        # Memory is judged from the 10% mark to the end: a process's resident set grows while it warms up (GC
        # regions and native allocator arenas sized to its concurrency; measured: the managed heap stays ~10 MB while
        # RSS rises ~60 MB over the first thousand jobs, then holds). A leak shows as growth after that point.
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $ids = foreach ($i in 1..$count) { "job$i" }
        $tenth = [math]::Max(1, [int]($count / 10))
        $first = foreach ($id in $ids[0..($tenth - 1)]) { Start-SmaRunbook Soak -Parameters @{ Id = $id } }
        $ended = @($first | Wait-SmaJob -Timeout 7200)
        foreach ($w in $workers) { $w | Add-Member RssTenthMB (Get-RssMB $w.Process.Id) }
        $rest = foreach ($id in $ids[$tenth..($count - 1)]) { Start-SmaRunbook Soak -Parameters @{ Id = $id } }
        $ended += @($rest | Wait-SmaJob -Timeout 7200)
        $seconds = $sw.Elapsed.TotalSeconds
        foreach ($w in $workers) { $w | Add-Member RssEndMB (Get-RssMB $w.Process.Id) }

        $names = @(Get-ChildItem $ledger | ForEach-Object { $_.Name.Split('.')[0] } | Where-Object { $_ -notlike 'warm*' })
        $failures = @($ended | Where-Object JobStatus -NE 'Completed').Count
        $duplicates = $names.Count - @($names | Sort-Object -Unique).Count
        $byWorker = $ended | Group-Object Worker | ForEach-Object { "$($_.Name)=$($_.Count)" }
        $report = [ordered]@{
            Jobs = $count; Seconds = [math]::Round($seconds, 1); JobsPerSecond = [math]::Round($count / $seconds, 1)
            Failures = $failures; Duplicates = $duplicates; Missing = $count - @($names | Sort-Object -Unique).Count
            ByWorker = $byWorker -join ', '
            Memory = ($workers | ForEach-Object { "$($_.Name) $($_.RssStartMB) -> $($_.RssTenthMB) (10%) -> $($_.RssEndMB) MB" }) -join '; '
        }
        Write-Host ("SOAK " + ($report | ConvertTo-Json -Compress))
        $report | ConvertTo-Json | Set-Content (Join-Path ($env:SMA_TEST_RESULTS ?? $SmaTestFolder) 'soak.json')
    }

    AfterAll {
        foreach ($w in $workers) { if (-not $w.Process.HasExited) { Stop-Process -Id $w.Process.Id -Force } }
        Remove-SmaTestStore
    }

    It 'completes every job' { $failures | Should -Be 0 }
    It 'runs every job exactly once' {
        $duplicates | Should -Be 0
        $report.Missing | Should -Be 0
    }
    It 'uses all three workers' { @($byWorker).Count | Should -Be 3 }
    It 'keeps each worker''s memory flat from the 10% mark to the end' {
        foreach ($w in $workers) {
            $w.RssEndMB | Should -BeLessOrEqual ([math]::Round($w.RssTenthMB * 1.15)) -Because "$($w.Name) went from $($w.RssTenthMB) MB at 10% to $($w.RssEndMB) MB"
        }
    }
}

# Dependency isolation (DESIGN §3, §8): Sma keeps its own SQLite and Dapper in a private AssemblyLoadContext, so
# another module's versions loaded first do not collide; and the module can be removed and imported again.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    # Packages restored next to Pester by tests/pester/restore (older versions than the module ships).
    $nuget = Split-Path (Split-Path (Split-Path (Get-Module Pester).ModuleBase))
    $older = @(
        "$nuget/sqlitepclraw.core/2.1.11/lib/netstandard2.0/SQLitePCLRaw.core.dll"
        "$nuget/microsoft.data.sqlite.core/8.0.30/lib/net8.0/Microsoft.Data.Sqlite.dll"
        "$nuget/dapper/2.0.123/lib/net5.0/Dapper.dll"
    )
    Set-Content (Join-Path $SmaTestFolder 'Iso.ps1') 'param([int] $N) 1..$N | ForEach-Object { "line $_" }'
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'Another module''s Microsoft.Data.Sqlite and Dapper loaded first' {
    It 'leaves both versions side by side and runs jobs end to end' {
        $paths = ($older | ForEach-Object { "'$_'" }) -join ', '
        $lines = Invoke-ChildPwsh -NoImport @"
foreach (`$p in @($paths)) { Add-Type -Path `$p }
`$null = [Microsoft.Data.Sqlite.SqliteConnectionStringBuilder]::new('Data Source=x.db')
`$null = [Dapper.SqlMapper]::Settings
Import-Module '$env:SMA_TEST_MODULE'
Import-SmaRunbook -Path '$SmaTestFolder/Iso.ps1' -Publish | Out-Null
`$job = Start-SmaRunbook Iso -Parameters @{ N = 3 } -Wait -Timeout 60
"status=`$(`$job.JobStatus)"
(Get-SmaJobOutput -Id `$job -Stream Output).StreamText
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'Dapper', 'Microsoft.Data.Sqlite' } |
    ForEach-Object { "loaded=`$(`$_.GetName().Name) `$(`$_.GetName().Version) `$([Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name)" } | Sort-Object
"@
        $lines | Should -Contain 'status=Completed'
        $lines | Should -Contain 'line 3'
        $loaded = @($lines | Where-Object { $_ -like 'loaded=*' })
        @($loaded | Where-Object { $_ -like 'loaded=Microsoft.Data.Sqlite 8.0.30*' }).Count | Should -Be 1 -Because 'the other module''s copy stays loaded'
        @($loaded | Where-Object { $_ -like 'loaded=Microsoft.Data.Sqlite 10.*Sma.Engine' }).Count | Should -Be 1 -Because 'Sma uses its own, in its own context'
        @($loaded | Where-Object { $_ -like 'loaded=Dapper *' }).Count | Should -Be 2
    }
}

Describe 'Removing and importing the module again in one session' {
    It 'keeps working after Remove-Module and Import-Module' {
        $lines = Invoke-ChildPwsh @"
Import-SmaRunbook -Path '$SmaTestFolder/Iso.ps1' -Name IsoAgain -Publish | Out-Null
"first=`$((Start-SmaRunbook IsoAgain -Parameters @{ N = 1 } -Wait -Timeout 60).JobStatus)"
Remove-Module Sma
"removed=`$([bool](Get-Module Sma))"
Import-Module '$env:SMA_TEST_MODULE'
"second=`$((Start-SmaRunbook IsoAgain -Parameters @{ N = 2 } -Wait -Timeout 60).JobStatus)"
Remove-Module Sma; Import-Module '$env:SMA_TEST_MODULE' -Force
"third=`$((Start-SmaRunbook IsoAgain -Parameters @{ N = 3 } -Wait -Timeout 60).JobStatus)"
"jobs=`$(@(Get-SmaJob -RunbookName IsoAgain).Count)"
"@
        $lines | Should -Contain 'first=Completed'
        $lines | Should -Contain 'removed=False'
        $lines | Should -Contain 'second=Completed'
        $lines | Should -Contain 'third=Completed'
        $lines | Should -Contain 'jobs=3'
    }
}

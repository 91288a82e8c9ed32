# The package (DESIGN §3): build.ps1 -Task Package makes a .nupkg that PSResourceGet installs from a folder
# repository into a clean module path, after which 'Import-Module Sma' by name runs a job — done here as a user
# would, offline, in a child pwsh with a temporary HOME.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $manifest = Import-PowerShellDataFile $env:SMA_TEST_MODULE
    $package = Join-Path $root "out/Sma.$($manifest.ModuleVersion).nupkg"

    # Packages the module the tests run against (out/Sma) without building it again.
    $pwsh = Get-PwshCommand
    $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'build.ps1') -Task Package -NoBuild 2>&1
    if ($LASTEXITCODE -ne 0) { throw "build.ps1 -Task Package failed: $($output -join "`n")" }
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($package)
    $entries = @($zip.Entries.FullName)
    $nuspec = [IO.StreamReader]::new($zip.GetEntry('Sma.nuspec').Open()).ReadToEnd()
    $zip.Dispose()
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'build.ps1 -Task Package' {
    It 'makes out/Sma.<version>.nupkg with the module at its root' {
        Test-Path $package | Should -BeTrue
        $entries | Should -Contain 'Sma.psd1'
        $entries | Should -Contain 'Sma.Cmdlets.dll'
        $entries | Should -Contain 'Sma.Format.ps1xml'
        $entries | Should -Contain 'dependencies/Sma.Engine.dll'
    }

    It 'holds the native SQLite library for <Rid>' -ForEach @(
        @{ Rid = 'linux-x64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'linux-arm64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'osx-x64'; File = 'libe_sqlite3.dylib' }
        @{ Rid = 'osx-arm64'; File = 'libe_sqlite3.dylib' }
        @{ Rid = 'win-x64'; File = 'e_sqlite3.dll' }
    ) {
        $entries | Should -Contain "dependencies/runtimes/$Rid/native/$File"
    }

    It 'carries the manifest''s project, licence and release notes' {
        $data = $manifest.PrivateData.PSData
        $data.ProjectUri | Should -Match '^https://'
        $data.LicenseUri | Should -Match '^https://'
        $data.ReleaseNotes | Should -Not -BeNullOrEmpty
        [xml] $spec = $nuspec
        $spec.package.metadata.projectUrl | Should -Be $data.ProjectUri
        $spec.package.metadata.releaseNotes | Should -Not -BeNullOrEmpty
    }
}

Describe 'Install-PSResource from a folder repository' {
    It 'installs into a clean module path, and Import-Module Sma by name runs a job' {
        $home2 = Join-Path $SmaTestFolder 'home'
        $repo = Join-Path $SmaTestFolder 'repo'
        New-Item -ItemType Directory -Path $home2, $repo | Out-Null
        Copy-Item $package $repo
        $script = Join-Path $SmaTestFolder 'install.ps1'
        Set-Content $script @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SmaLocal -Uri '$repo' -Trusted
Install-PSResource -Name Sma -Repository SmaLocal -Scope CurrentUser -TrustRepository -Quiet
Import-Module Sma
"base=`$((Get-Module Sma).ModuleBase)"
`$env:SMA_STORE = Join-Path '$SmaTestFolder' 'installed.db'
`$env:SMA_KEY_FILE = Join-Path '$SmaTestFolder' 'installed.key'
Set-Content (Join-Path '$SmaTestFolder' 'Installed.ps1') 'param([string] `$Name) "Installed, `$Name"'
Import-SmaRunbook -Path (Join-Path '$SmaTestFolder' 'Installed.ps1') -Publish | Out-Null
`$job = Start-SmaRunbook Installed -Parameters @{ Name = 'by name' } -Wait
"status=`$(`$job.JobStatus)"
"output=`$((Get-SmaJobOutput -Id `$job -Stream Output).StreamText)"
"@
        # A temporary HOME: no repository registered and no module installed before; the default module path only.
        $saved = @{ HOME = $env:HOME; PSModulePath = $env:PSModulePath; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME }
        try {
            $env:HOME = $home2
            foreach ($name in 'PSModulePath', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { Remove-Item "Env:$name" -ErrorAction Ignore }
            $pwsh = Get-PwshCommand
            $lines = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script 2>&1 | ForEach-Object { "$_" }
            $exit = $LASTEXITCODE
        }
        finally {
            foreach ($name in $saved.Keys) {
                if ($null -eq $saved[$name]) { Remove-Item "Env:$name" -ErrorAction Ignore } else { Set-Item "Env:$name" -Value $saved[$name] }
            }
        }
        $exit | Should -Be 0 -Because ($lines -join "`n")
        $base = ($lines | Where-Object { $_ -like 'base=*' }) -replace '^base='
        $base | Should -BeLike "$home2*" -Because 'Sma was imported by name from where Install-PSResource put it'
        $lines | Should -Contain 'status=Completed'
        $lines | Should -Contain 'output=Installed, by name'
    }
}

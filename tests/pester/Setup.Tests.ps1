# The README's test command sets up what its tests need (tests/setup/Install-TestBrowser.ps1, called by
# build.ps1 -Task Test): Chromium and chromedriver are installed with apt-get when missing — directly as root, through
# sudo otherwise — and where that cannot be done it stops, saying exactly what to install. Run against stand-ins for
# id, apt-get and sudo on a PATH of their own, so nothing is installed for real.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script = (Resolve-Path (Join-Path $PSScriptRoot '../setup/Install-TestBrowser.ps1')).Path

    # A folder of stand-ins; returns it. apt-get logs its arguments and, on install, puts chromium and chromedriver
    # stand-ins in the folder (or fails when $FailInstall).
    function New-FakeBin([switch] $Sudo, [switch] $AptGet, [switch] $FailInstall, [switch] $Browser) {
        $bin = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory $bin | Out-Null
        function Write-Tool([string] $Name, [string] $Body) {
            $path = Join-Path $bin $Name
            Set-Content -Path $path -Value "#!/bin/sh`n$Body" -NoNewline
            /bin/chmod +x $path
        }
        Write-Tool 'id' 'echo "$FAKE_UID"'
        New-Item -ItemType SymbolicLink -Path (Join-Path $bin 'env') -Target '/usr/bin/env' | Out-Null
        if ($Sudo) { Write-Tool 'sudo' "echo `"sudo `$*`" >> `"`$FAKE_LOG`"`nexec `"`$@`"" }
        if ($AptGet) {
            $install = if ($FailInstall) { 'echo "E: Unable to locate package chromium" >&2; exit 100' }
            else { "printf '#!/bin/sh\n' > `"$bin/chromium`"; printf '#!/bin/sh\n' > `"$bin/chromedriver`"; /bin/chmod +x `"$bin/chromium`" `"$bin/chromedriver`"" }
            Write-Tool 'apt-get' "echo `"apt-get `$* (DEBIAN_FRONTEND=`$DEBIAN_FRONTEND)`" >> `"`$FAKE_LOG`"`ncase `"`$*`" in *install*) $install ;; esac`nexit 0"
        }
        if ($Browser) { Write-Tool 'chromium' ''; Write-Tool 'chromedriver' '' }
        return $bin
    }

    # Runs the set-up script in a child pwsh whose PATH is only $Bin; returns its exit code, output and apt log.
    function Invoke-Setup([string] $Bin, [string] $Uid) {
        $log = Join-Path $Bin 'calls.log'
        $pwsh = Get-PwshCommand
        $output = & env "PATH=$Bin" "FAKE_UID=$Uid" "FAKE_LOG=$log" $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script 2>&1 |
            ForEach-Object { "$_" }
        [pscustomobject]@{
            Exit = $LASTEXITCODE
            # The error view wraps the message at the console's width behind a '|' gutter: read it as one line.
            Output = ($output -join ' ') -replace '\s*\|\s*', ' ' -replace '\s+', ' '
            Calls = @(if (Test-Path $log) { Get-Content $log })
            Installed = (Test-Path (Join-Path $Bin 'chromium')) -and (Test-Path (Join-Path $Bin 'chromedriver'))
        }
    }
}

Describe 'Install-TestBrowser.ps1' {
    It 'installs chromium and chromium-driver with apt-get as root' {
        $result = Invoke-Setup (New-FakeBin -AptGet) 0
        $result.Exit | Should -Be 0 -Because $result.Output
        $result.Calls | Should -Be @(
            'apt-get update -qq (DEBIAN_FRONTEND=noninteractive)'
            'apt-get install -y -qq chromium chromium-driver (DEBIAN_FRONTEND=noninteractive)')
        $result.Installed | Should -BeTrue
    }

    It 'goes through sudo when not root and sudo exists' {
        $result = Invoke-Setup (New-FakeBin -AptGet -Sudo) 1000
        $result.Exit | Should -Be 0 -Because $result.Output
        $result.Calls | Should -Contain 'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver'
        $result.Calls | Should -Contain 'apt-get install -y -qq chromium chromium-driver (DEBIAN_FRONTEND=noninteractive)'
        $result.Installed | Should -BeTrue
    }

    It 'does nothing when both are there' {
        $result = Invoke-Setup (New-FakeBin -AptGet -Browser) 0
        $result.Exit | Should -Be 0
        $result.Calls | Should -BeNullOrEmpty
    }

    It 'stops and says what to install <Case>' -ForEach @(
        @{ Case = 'when not root and sudo is missing'; Uid = 1000; Fake = @{ AptGet = $true }; Why = 'sudo is not available' }
        @{ Case = 'when apt-get is missing'; Uid = 0; Fake = @{}; Why = 'apt-get is not available' }
        @{ Case = 'when apt-get fails'; Uid = 0; Fake = @{ AptGet = $true; FailInstall = $true }; Why = 'Unable to locate package' }
    ) {
        $result = Invoke-Setup (New-FakeBin @Fake) $Uid
        $result.Exit | Should -Not -Be 0
        $result.Output | Should -BeLike "*$Why*"
        $result.Output | Should -BeLike '*sudo apt-get install chromium chromium-driver*'
        $result.Installed | Should -BeFalse
    }
}

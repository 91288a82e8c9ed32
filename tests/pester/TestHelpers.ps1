# Shared by the Pester files: dot-source it in BeforeAll.

# Points this session at a fresh store and key file in a new folder and imports the built module.
# (Not $TestDrive: Pester empties it after each Describe, and the store must live for the whole file.)
# Sets $script:SmaTestFolder; call Remove-SmaTestStore in AfterAll.
function Initialize-SmaTestStore {
    $script:SmaTestFolder = Join-Path ([IO.Path]::GetTempPath()) ("sma-pester-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $script:SmaTestFolder | Out-Null
    $env:SMA_STORE = Join-Path $script:SmaTestFolder 'sma.db'
    if ($env:SMA_TEST_PG) {
        # The PostgreSQL pass (build.ps1 -Store): a new database on the throwaway server for this file's store.
        $database = 'sma_pester_' + [guid]::NewGuid().ToString('n').Substring(0, 16)
        $admin = @{}
        foreach ($pair in $env:SMA_TEST_PG -split ';') { $k, $v = $pair -split '=', 2; $admin[$k] = $v }
        & $env:SMA_TEST_PSQL -h $admin.Host -p $admin.Port -U $admin.Username -d $admin.Database -q -c "CREATE DATABASE $database" 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Could not create the test database $database on the test PostgreSQL server." }
        $env:SMA_STORE = "Host=$($admin.Host);Port=$($admin.Port);Username=$($admin.Username);Database=$database"
        # What the module keeps per user for a server store (the web service's certificate) stays in the test folder.
        $env:XDG_DATA_HOME = Join-Path $script:SmaTestFolder 'data'
    }
    $env:SMA_KEY_FILE = Join-Path $script:SmaTestFolder 'secret.key'
    $env:NO_COLOR = '1'
    Import-Module $env:SMA_TEST_MODULE
}

# How the module names the test store in messages and settings: its file path, or server and database (no credentials).
function Get-SmaTestStoreDescription {
    if (-not $env:SMA_TEST_PG) { return $env:SMA_STORE }
    $store = @{}
    foreach ($pair in $env:SMA_STORE -split ';') { $k, $v = $pair -split '=', 2; $store[$k] = $v }
    "PostgreSQL $($store.Host):$($store.Port)/$($store.Database)"
}

# Everything the test store holds, as one Latin-1 string: the SQLite file and its WAL, or on the PostgreSQL pass a
# pg_dump of the test database (bytea as hex), for tests that look for secrets in any readable form.
function Get-SmaTestStoreContent {
    if ($env:SMA_TEST_PG) {
        $store = @{}
        foreach ($pair in $env:SMA_STORE -split ';') { $k, $v = $pair -split '=', 2; $store[$k] = $v }
        $dump = Join-Path (Split-Path $env:SMA_TEST_PSQL) 'pg_dump'
        $text = & $dump -h $store.Host -p $store.Port -U $store.Username -d $store.Database --data-only 2>&1
        if ($LASTEXITCODE -ne 0) { throw "pg_dump of the test database failed: $text" }
        return ($text -join "`n")
    }
    $files = @(Get-Item "$env:SMA_STORE*" | Where-Object Name -Match '\.db(-wal)?$')
    if ($files.Count -lt 1) { throw "The store file $env:SMA_STORE is missing." }
    $bytes = [Collections.Generic.List[byte]]::new()
    foreach ($file in $files) { $bytes.AddRange([IO.File]::ReadAllBytes($file.FullName)) }
    [Text.Encoding]::Latin1.GetString($bytes.ToArray())
}

function Remove-SmaTestStore {
    if ($script:SmaTestFolder -and (Test-Path $script:SmaTestFolder)) {
        Remove-Item $script:SmaTestFolder -Recurse -Force -ErrorAction Ignore
    }
}

# Writes $Source to <TestDrive>/runbooks/<Name>.ps1 and imports it (published unless -Draft).
function New-TestRunbook {
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $Source,
        [switch] $Draft,
        [string] $RunbookType = 'Script'
    )
    $folder = Join-Path $script:SmaTestFolder 'runbooks'
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    $path = Join-Path $folder "$Name.ps1"
    Set-Content -Path $path -Value $Source
    Import-SmaRunbook -Path $path -Publish:(-not $Draft) -RunbookType $RunbookType
}

# The command that starts a child pwsh like this one (the dotnet tool, or a real pwsh).
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') { return @($exe, (Join-Path $PSHOME 'pwsh.dll')) }
    return @($exe)
}

# Runs a script in a fresh pwsh process with the built module imported and the same store.
# Returns its output lines; throws if it exits non-zero (unless -AllowFailure).
function Invoke-ChildPwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [switch] $AllowFailure,
        [switch] $NoImport
    )
    $file = Join-Path $script:SmaTestFolder ("child-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
    $prelude = if ($NoImport) { '' } else { "Import-Module '$env:SMA_TEST_MODULE'`n" }
    Set-Content -Path $file -Value ("`$ErrorActionPreference = 'Stop'`n" + $prelude + $Script)
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)
    $output = & $pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" }
    if ($LASTEXITCODE -ne 0 -and -not $AllowFailure) {
        throw "Child pwsh exited with $LASTEXITCODE`n$($output -join "`n")"
    }
    return $output
}

# An IPv4 address of this machine that is not loopback: the cmdlets take an endpoint there as another machine's.
# The remote endpoint tests' server: a web service (with a worker) in its own process on a store of its own, holding
# an administrator and one more account, reached as another machine would reach it (a non-loopback address, Basic,
# its certificate pinned). Returns the splats for the cmdlets: Remote (administrator), Other (the second account) and
# Server (-StorePath of the server's store, to read what a change did there).
function Start-RemoteTestService([string] $Name, [string] $WorkerName, [string] $OtherAccount, [string] $OtherRole) {
    $store = Join-Path $SmaTestFolder "$Name.db"
    $password = ConvertTo-SecureString 'correct-horse-battery' -AsPlainText -Force
    New-SmaWebServiceAccount -StorePath $store -Name admin -Role Administrator -Password $password | Out-Null
    New-SmaWebServiceAccount -StorePath $store -Name $OtherAccount -Role $OtherRole -Password $password | Out-Null
    $service = Start-SmaWebService -StorePath $store -Port 0 -WithWorker -WorkerName $WorkerName -InformationAction SilentlyContinue
    $address = Get-NonLoopbackAddress
    $env:SMA_WEBSERVICE_THUMBPRINT = $service.Thumbprint
    $remote = @{
        WebServiceEndpoint = "https://$address"; Port = $service.Port; AuthenticationType = 'Basic'
        Credential = [pscredential]::new('admin', $password)
    }
    $other = $remote.Clone()
    $other.Credential = [pscredential]::new($OtherAccount, $password)
    [pscustomobject]@{
        Service = $service; StorePath = $store; Password = $password; Address = $address
        Remote = $remote; Other = $other; Server = @{ StorePath = $store }
    }
}

function Get-NonLoopbackAddress {
    $address = [System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces() |
        Where-Object { $_.OperationalStatus -eq 'Up' -and $_.NetworkInterfaceType -ne 'Loopback' } |
        ForEach-Object { $_.GetIPProperties().UnicastAddresses.Address } |
        Where-Object { $_.AddressFamily -eq 'InterNetwork' -and -not [System.Net.IPAddress]::IsLoopback($_) } |
        Select-Object -First 1
    if (-not $address) { throw 'This test reaches a server as another machine would, through a non-loopback IPv4 address, and this machine has none.' }
    "$address"
}

# Starts a child pwsh in the background; returns the Process (caller stops it).
function Start-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Script, [string] $LogPath)
    $file = Join-Path $script:SmaTestFolder ("bg-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
    Set-Content -Path $file -Value ("`$ErrorActionPreference = 'Stop'`nImport-Module '$env:SMA_TEST_MODULE'`n" + $Script)
    $pwsh = Get-PwshCommand
    $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)
    $log = if ($LogPath) { $LogPath } else { "$file.log" }
    return Start-Process -FilePath $pwsh[0] -ArgumentList $arguments -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
}

# Counts rows in the store, to show that a refused request wrote nothing.
function Get-StoreCounts {
    [pscustomobject]@{
        Runbooks = @(Get-SmaRunbook).Count
        Jobs     = @(Get-SmaJob).Count
    }
}

# Polls until the job reaches one of $Status (or fails the test after $TimeoutSeconds).
function Wait-TestJobStatus {
    param([Parameter(Mandatory)] $Id, [Parameter(Mandatory)] [string[]] $Status, [int] $TimeoutSeconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $job = Get-SmaJob -Id $Id
        if ($job.Status -in $Status -or $job.JobStatus -in $Status) { return $job }   # either vocabulary
        Start-Sleep -Milliseconds 25
    }
    throw "Job $Id did not reach $($Status -join '/') within $TimeoutSeconds s; it is $((Get-SmaJob -Id $Id).Status)."
}

# Runs $Script with ErrorAction Continue and returns the ErrorRecord only if it ended with a terminating error.
function Get-TerminatingError {
    param([Parameter(Mandatory)] [scriptblock] $Script)
    try {
        $ErrorActionPreference = 'Continue'
        & $Script 2>$null | Out-Null
        return $null
    }
    catch {
        return $_
    }
}

# Runs $Script with ErrorAction Continue and returns the non-terminating errors it wrote (the command went on).
# Throws, failing the test, if it ended with a terminating error instead.
function Get-NonTerminatingError {
    param([Parameter(Mandatory)] [scriptblock] $Script)
    try {
        $ErrorActionPreference = 'Continue'
        $written = @(& $Script 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    }
    catch {
        throw "Expected a non-terminating error, but the command ended with a terminating one: $($_.FullyQualifiedErrorId): $_"
    }
    return $written
}

# Runs $Script with ErrorAction Continue and reports its first error and how it came: Terminating (the command
# ended) or not (written, and the command went on). $null when there was no error.
function Get-ErrorReport {
    param([Parameter(Mandatory)] [scriptblock] $Script)
    try {
        $ErrorActionPreference = 'Continue'
        $written = @(& $Script 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        if ($written.Count -eq 0) { return $null }
        return [pscustomobject]@{ Terminating = $false; Error = $written[0] }
    }
    catch {
        return [pscustomobject]@{ Terminating = $true; Error = $_ }
    }
}

# Starts a dedicated worker (Start-SmaWorker) in a child pwsh and waits until it is Running in the registry.
function Start-TestWorker {
    param([Parameter(Mandatory)] [string] $Name, [int] $ThrottleLimit = 4)
    $process = Start-ChildPwsh -Script "Start-SmaWorker -Name '$Name' -ThrottleLimit $ThrottleLimit" -LogPath (Join-Path $script:SmaTestFolder "worker-$Name.log")
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ((Get-SmaRunbookWorkerDeployment -Name $Name).Status -eq 'Running') { return $process }
        if ($process.HasExited) { break }
        Start-Sleep -Milliseconds 100
    }
    $log = Get-Content (Join-Path $script:SmaTestFolder "worker-$Name.log*") -Raw -ErrorAction Ignore
    throw "Worker $Name did not start: $log"
}

# Waits until $Condition returns true (or throws after $TimeoutSeconds with $Because).
function Wait-Until {
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $TimeoutSeconds = 60, [string] $Because = 'the condition')
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return }
        Start-Sleep -Milliseconds 50
    }
    throw "Timed out after $TimeoutSeconds s waiting for $Because."
}

# Stops every job still in one of $Status; a job that ends meanwhile is fine (Stop-SmaJob refuses it, and goes on).
function Stop-TestJobs {
    param([string[]] $Status = @('Queued', 'Starting', 'Running', 'Suspending', 'Suspended', 'Resuming'))
    Get-SmaJob -JobStatus $Status | Stop-SmaJob -ErrorVariable refused -ErrorAction SilentlyContinue
    $refused | Where-Object FullyQualifiedErrorId -NotLike 'InvalidJobStateTransition,*' | ForEach-Object { throw $_ }
}

# The same object read remotely and on the server's store: every property, times to the millisecond the service
# carries, dictionaries key by key with their values' types.
function Assert-SameAsOnServer($Remote, $Local, [string[]] $Except = @()) {
    $Remote | Should -Not -BeNullOrEmpty
    $Remote.GetType() | Should -Be $Local.GetType()
    foreach ($property in $Local.PSObject.Properties.Name | Where-Object { $_ -notin $Except }) {
        $l = $Local.$property
        $r = $Remote.$property
        if ($l -is [datetime]) {
            $utc = $l.ToUniversalTime()
            $r.ToUniversalTime() | Should -Be $utc.AddTicks(-($utc.Ticks % 10000)) -Because $property
        } elseif ($l -is [System.Collections.IDictionary]) {
            @($r.Keys) | Should -Be @($l.Keys) -Because $property
            foreach ($key in $l.Keys) {
                $r[$key] | Should -Be $l[$key] -Because "$property[$key]"
                if ($null -ne $l[$key]) { $r[$key].GetType() | Should -Be $l[$key].GetType() -Because "$property[$key]" }
            }
        } elseif ($l -is [System.Collections.IEnumerable] -and $l -isnot [string]) {
            @($r) | Should -Be @($l) -Because $property
        } elseif ($property -eq 'RunbookVersion') {
            Assert-SameAsOnServer $r $l
        } else {
            $r | Should -Be $l -Because $property
            if ($null -ne $l) { $r.GetType() | Should -Be $l.GetType() -Because $property }
        }
    }
}

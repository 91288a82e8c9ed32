# Integration modules (DESIGN §10): imported into the store, versioned, materialised by every worker on its own
# machine into a per-store folder on its jobs' PSModulePath; their connection types come and go with them.
# A dedicated worker in another pwsh process runs the jobs here, so the module must reach it through the store.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $env:SMA_MODULES_FOLDER = Join-Path $SmaTestFolder 'modules'
    $script:processes = [Collections.Generic.List[object]]::new()

    # Writes a module folder <parent>/<Name>/ with a manifest, a script module and (optionally) a connection type file.
    function New-TestModule([string] $Parent, [string] $Name, [string] $Version, [string] $Greeting, [string] $Json) {
        $folder = Join-Path $Parent $Name
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        Set-Content (Join-Path $folder "$Name.psm1") "function Get-$($Name)Greeting { param([string] `$Who) `"$Greeting, `$Who (`$((Get-Module $Name).Version))`" }"
        Set-Content (Join-Path $folder "$Name.psd1") "@{ RootModule = '$Name.psm1'; ModuleVersion = '$Version'; GUID = '$([guid]::NewGuid())'; Description = 'Test module $Name'; FunctionsToExport = @('Get-$($Name)Greeting') }"
        if ($Json) { Set-Content (Join-Path $folder "$Name-Automation.json") $Json }
        $folder
    }

    # SMA's layout: <Name>.zip holding <Name>/<Name>.psd1.
    function New-TestModuleZip([string] $Name, [string] $Version, [string] $Greeting, [string] $Json) {
        $parent = Join-Path $SmaTestFolder ("src-" + [guid]::NewGuid().ToString('n'))
        $folder = New-TestModule -Parent $parent -Name $Name -Version $Version -Greeting $Greeting -Json $Json
        $zip = Join-Path $parent "$Name.zip"
        Compress-Archive -Path $folder -DestinationPath $zip
        $zip
    }

    $script:contosoType = @'
{
    "ConnectionFields": [
        { "IsEncrypted": false, "IsOptional": false, "Name": "Server", "TypeName": "System.String" },
        { "IsEncrypted": true, "IsOptional": false, "Name": "ApiKey", "TypeName": "System.String" },
        { "IsEncrypted": false, "IsOptional": true, "Name": "Port", "TypeName": "System.Int32" }
    ],
    "ConnectionTypeName": "ContosoApi",
    "IntegrationModuleName": "ContosoTools"
}
'@
    # Started before any module exists: what it runs, it can only have from the store.
    $script:worker = Start-TestWorker -Name ModuleWorker
    $processes.Add($worker)
    New-TestRunbook -Name Greets -Source "Get-ContosoToolsGreeting -Who 'runbook'" | Out-Null
    Set-SmaRunbookConfiguration -Name Greets -RunbookWorker ModuleWorker | Out-Null
}

AfterAll {
    Stop-TestJobs
    foreach ($p in $processes) { if (-not $p.HasExited) { Stop-Process -Id $p.Id -Force -ErrorAction Ignore } }
    Remove-Item Env:SMA_MODULES_FOLDER -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Importing a module' {
    It 'stores a .zip in SMA''s layout, with its manifest version and connection type' {
        $module = Import-SmaModule -Path (New-TestModuleZip -Name ContosoTools -Version '1.2.0' -Greeting 'Hello' -Json $contosoType)
        $module.ModuleName | Should -Be 'ContosoTools'
        $module.ModuleVersion | Should -Be '1.2.0'
        $module.StoreVersion | Should -Be 1
        $module.Description | Should -Be 'Test module ContosoTools'
        $module.ConnectionTypes | Should -Be @('ContosoApi')
        (Get-SmaModule -Name contosotools).ModuleID | Should -Be $module.ModuleID
        (Get-SmaModule -Id $module.ModuleID).ModuleName | Should -Be 'ContosoTools'
    }

    It 'registers the module''s connection type with its fields' {
        $type = Get-SmaConnectionType -Name ContosoApi
        $type.ModuleName | Should -Be 'ContosoTools'
        $fields = Get-SmaConnectionField -ConnectionTypeName ContosoApi
        $fields.Name | Should -Be @('Server', 'ApiKey', 'Port')
        ($fields | Where-Object IsEncrypted).Name | Should -Be 'ApiKey'
        ($fields | Where-Object { -not $_.IsOptional }).Name | Should -Be @('Server', 'ApiKey')
    }

    It 'checks connections against the type: required fields, unknown fields' {
        $err = Get-TerminatingError { New-SmaConnection -Name Api -ConnectionTypeName ContosoApi -ConnectionFieldValues @{ Server = 'api.contoso.com' } }
        $err.FullyQualifiedErrorId | Should -BeLike 'MissingConnectionField,*'
        $err.Exception.Message | Should -BeLike "*requires field 'ApiKey'*"
        $err = Get-TerminatingError { New-SmaConnection -Name Api -ConnectionTypeName ContosoApi -ConnectionFieldValues @{ Server = 'a'; ApiKey = 'k'; Colour = 'red' } }
        $err.FullyQualifiedErrorId | Should -BeLike 'UnknownConnectionField,*'
        @(Get-SmaConnection -ConnectionTypeName ContosoApi).Count | Should -Be 0
        $connection = New-SmaConnection -Name Api -ConnectionTypeName contosoapi -ConnectionFieldValues @{ Server = 'api.contoso.com'; ApiKey = 'key-123-secret' }
        $connection.ConnectionFieldValues.ApiKey | Should -Be '********'
        $connection.ConnectionFieldValues.Server | Should -Be 'api.contoso.com'
    }

    It 'imports a module folder too' {
        $folder = New-TestModule -Parent (Join-Path $SmaTestFolder 'folders') -Name FolderTools -Version '0.1.0' -Greeting 'Hi'
        $module = Import-SmaModule -Path $folder
        $module.ModuleName | Should -Be 'FolderTools'
        $module.ConnectionTypes | Should -BeNullOrEmpty
    }
}

Describe 'Jobs use the store''s modules' {
    It 'runs a job on a worker in another process that never installed the module' {
        $job = Start-SmaRunbook -Name Greets -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because "$($job.StatusDetails) $($job.JobException)"
        $job.Worker | Should -Be 'ModuleWorker'
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be 'Hello, runbook (1.2.0)'
        # Where that worker put it: the per-store folder under SMA_MODULES_FOLDER, nowhere PowerShell installs modules.
        $copies = @(Get-ChildItem -Path $env:SMA_MODULES_FOLDER -Recurse -Filter 'ContosoTools.psd1')
        $copies.Count | Should -Be 1
        $copies[0].Directory.Parent.Name | Should -Be 'modules'
        Get-Module -ListAvailable -Name ContosoTools | Where-Object ModuleBase -NotLike "$env:SMA_MODULES_FOLDER*" | Should -BeNullOrEmpty
    }

    It 'gives jobs the next version once it is imported' {
        $module = Import-SmaModule -Path (New-TestModuleZip -Name ContosoTools -Version '1.3.0' -Greeting 'Welcome' -Json $contosoType)
        $module.StoreVersion | Should -Be 2
        $job = Start-SmaRunbook -Name Greets -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because "$($job.StatusDetails) $($job.JobException)"
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be 'Welcome, runbook (1.3.0)'
        (Get-SmaConnection -Name Api).ConnectionTypeName | Should -Be 'ContosoApi' -Because 'connections keep their type across versions'
    }

    It 'runs a module''s command in this session''s own jobs as well' {
        New-TestRunbook -Name FolderGreets -Source "Get-FolderToolsGreeting -Who 'here'" | Out-Null
        $job = Start-SmaRunbook -Name FolderGreets -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because "$($job.StatusDetails) $($job.JobException)"
        (Get-SmaJobOutput -Id $job -Stream Output).StreamText | Should -Be 'Hi, here (0.1.0)'
    }
}

Describe 'Removing a module' {
    It 'refuses while a connection uses its connection type, naming it, and changes nothing' {
        Remove-SmaModule -Name ContosoTools -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModuleConnectionTypeInUse,*'
        $problems[0].Exception.Message | Should -BeLike "*'ContosoApi'*'Api'*Remove-SmaConnection*"
        (Get-SmaModule ContosoTools).StoreVersion | Should -Be 2
        (Get-SmaConnectionType).Name | Should -Contain 'ContosoApi'
    }

    It 'refuses a new version that drops a connection type in use' {
        $err = Get-TerminatingError { Import-SmaModule -Path (New-TestModuleZip -Name ContosoTools -Version '2.0.0' -Greeting 'Hey') }
        $err.FullyQualifiedErrorId | Should -BeLike 'ModuleConnectionTypeInUse,*'
        (Get-SmaModule ContosoTools).ModuleVersion | Should -Be '1.3.0'
    }

    It 'removes the module and its connection type once no connection uses it; jobs no longer find its commands' {
        Remove-SmaConnection -Name Api -Confirm:$false
        Get-SmaModule -Name ContosoTools | Remove-SmaModule -Confirm:$false
        @(Get-SmaModule).ModuleName | Should -Be @('FolderTools')
        (Get-SmaConnectionType).Name | Should -Not -Contain 'ContosoApi'
        $job = Start-SmaRunbook -Name Greets -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because 'a command that is not found is a non-terminating error in a script'
        $job.ErrorCount | Should -Be 1
        (Get-SmaJobOutput -Id $job -Stream Error).StreamText | Should -BeLike "*'Get-ContosoToolsGreeting'*not recognized*"
        @(Get-SmaJobOutput -Id $job -Stream Output).Count | Should -Be 0
        @(Get-ChildItem -Path $env:SMA_MODULES_FOLDER -Recurse -Filter 'ContosoTools.psd1').Count | Should -Be 0
    }

    It 'reports a module that is not there without stopping the pipeline' {
        Remove-SmaModule -Name NoSuchModule -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModuleNotFound,*'
        Get-SmaModule -Name NoSuchModule, FolderTools -ErrorVariable problems -ErrorAction SilentlyContinue | ForEach-Object ModuleName | Should -Be 'FolderTools'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModuleNotFound,*'
    }
}

# The last cmdlets to work through a remote web service (DESIGN §5, §13): Get-SmaRunbookDefinition -Translated and
# -Children, Import-SmaRunbook -Force, Get-SmaScheduleHistory and Export-SmaDashboard. Each returns what the same cmdlet
# returns on the server's store (read there with -StorePath), changes only the server's store, and fails with the local
# cmdlet's errors; a reader may read but not change. The server runs in its own process; "another machine" is this one
# through a non-loopback address.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $test = Start-RemoteTestService server4 -WorkerName remote4-web -OtherAccount viewer -OtherRole Reader
    $serverStore, $password, $service, $address = $test.StorePath, $test.Password, $test.Service, $test.Address
    $remote, $reader, $server = $test.Remote, $test.Other, $test.Server

    $folder = New-Item -ItemType Directory (Join-Path $SmaTestFolder 'remote4-runbooks')
    Set-Content (Join-Path $folder 'Flow4-Remote.ps1') "workflow Flow4-Remote {`n    param([string] `$Name)`n    Checkpoint-Workflow`n    `"hi `$Name`"`n}"
    Set-Content (Join-Path $folder 'Kid4-Remote.ps1') "'kid'"
    Set-Content (Join-Path $folder 'Middle4-Remote.ps1') "Kid4-Remote; 'middle'"
    Set-Content (Join-Path $folder 'Parent4-Remote.ps1') "Middle4-Remote; 'parent'"
    Set-Content (Join-Path $folder 'Force4-Remote.ps1') "'version one'"
    Set-Content (Join-Path $folder 'Force4-Two.ps1') "'version two'"
    Set-Content (Join-Path $folder 'Force4-Flow.ps1') "workflow Force4-Remote {`n    'as a workflow'`n}"
    Set-Content (Join-Path $folder 'Force4-Broken.ps1') "'unclosed"

    function Assert-LocalStoreUnused {
        @(Get-SmaRunbook).Count | Should -Be 0 -Because 'the local store was not used'
        @(Get-SmaJob).Count | Should -Be 0 -Because 'the local store was not used'
        @(Get-SmaSchedule).Count | Should -Be 0 -Because 'the local store was not used'
    }

    # The data block of an exported dashboard page, as the page's script reads it.
    function Get-DashboardData([string] $Path) {
        $html = Get-Content -Raw $Path
        $html -match '(?s)<script type="application/json" id="sma-data">(?<json>.*?)</script>' | Should -BeTrue -Because "$Path has the page's data"
        $Matches.json | ConvertFrom-Json
    }

    Import-SmaRunbook -Path (Join-Path $folder 'Flow4-Remote.ps1') -Publish @remote | Out-Null
    foreach ($name in 'Kid4-Remote', 'Middle4-Remote', 'Parent4-Remote') {
        Import-SmaRunbook -Path (Join-Path $folder "$name.ps1") -Publish @remote | Out-Null
    }
    $parentJob = Start-SmaRunbook -Name Parent4-Remote -Wait -Timeout 120 @remote
    $flowJob = Start-SmaRunbook -Name Flow4-Remote -Parameters @{ Name = 'there' } -Wait -Timeout 120 @remote
}

AfterAll {
    Remove-Item Env:SMA_WEBSERVICE_THUMBPRINT -ErrorAction Ignore
    Stop-SmaWebService -StorePath $serverStore -ErrorAction Ignore
    Remove-SmaTestStore
}

Describe 'Get-SmaRunbookDefinition -Translated and -Children through a web service' {
    It '-Translated gives the PowerShell 7 text a workflow runs, as on the server (by name, by version, for a reader)' {
        $translated = Get-SmaRunbookDefinition -Name Flow4-Remote -Translated @reader
        Assert-SameAsOnServer $translated (Get-SmaRunbookDefinition -Name Flow4-Remote -Translated @server)
        $translated.Content | Should -Not -Match '^\s*workflow' -Because 'the translation is no workflow'
        $source = Get-SmaRunbookDefinition -Name Flow4-Remote @remote
        Assert-SameAsOnServer $source (Get-SmaRunbookDefinition -Name Flow4-Remote @server)
        $source.Content | Should -Match '^\s*workflow Flow4-Remote'
        $translated.Content | Should -Not -Be $source.Content

        $byVersion = Get-SmaRunbookDefinition -VersionId $flowJob.RunbookVersionId -Translated @remote
        Assert-SameAsOnServer $byVersion (Get-SmaRunbookDefinition -VersionId $flowJob.RunbookVersionId -Translated @server)
        # A script's text is its source.
        (Get-SmaRunbookDefinition -Name Kid4-Remote -Translated @remote).Content.Trim() | Should -Be "'kid'"
        Assert-LocalStoreUnused
    }

    It '-Children gives the child versions the job pinned, in the order they were resolved, as on the server' {
        $children = @(Get-SmaRunbookDefinition -JobId $parentJob.JobId -Children @reader)
        $onServer = @(Get-SmaRunbookDefinition -JobId $parentJob.JobId -Children @server)
        $children.Count | Should -Be 2
        $children.RunbookName | Should -Be @('Middle4-Remote', 'Kid4-Remote')
        for ($i = 0; $i -lt $onServer.Count; $i++) { Assert-SameAsOnServer $children[$i] $onServer[$i] }

        $translated = @(Get-SmaRunbookDefinition -JobId "$($parentJob.JobId)" -Children -Translated @remote)
        $translatedOnServer = @(Get-SmaRunbookDefinition -JobId $parentJob.JobId -Children -Translated @server)
        for ($i = 0; $i -lt $translatedOnServer.Count; $i++) { Assert-SameAsOnServer $translated[$i] $translatedOnServer[$i] }
        @(Get-SmaRunbookDefinition -JobId $flowJob.JobId -Children @remote).Count | Should -Be 0 -Because 'that job called no other runbook'
    }

    It 'an unknown job or version is the local error, and the other items go on' {
        $unknown = [guid]::NewGuid()
        foreach ($case in @(
                @{ Script = { param($at) Get-SmaRunbookDefinition -JobId $unknown -Children @at }; ErrorId = 'JobNotFound' }
                @{ Script = { param($at) Get-SmaRunbookDefinition -VersionId $unknown -Translated @at }; ErrorId = 'RunbookVersionNotFound' })) {
            $err = Get-NonTerminatingError { & $case.Script $remote }
            $onServer = Get-NonTerminatingError { & $case.Script $server }
            $err.FullyQualifiedErrorId | Should -BeLike "$($case.ErrorId),*"
            $err.FullyQualifiedErrorId | Should -Be $onServer.FullyQualifiedErrorId
            $err.CategoryInfo.Category | Should -Be $onServer.CategoryInfo.Category
            $err.Exception.Message | Should -Be $onServer.Exception.Message
        }
        $err = Get-TerminatingError { Get-SmaRunbookDefinition -JobId 'not-a-guid' -Children @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidJobId,*'
    }
}

Describe 'Import-SmaRunbook -Force through a web service' {
    BeforeAll {
        $first = Import-SmaRunbook -Path (Join-Path $folder 'Force4-Remote.ps1') -Publish @remote
        $firstJob = Start-SmaRunbook -Name Force4-Remote -Wait -Timeout 120 @remote
    }

    It 'without -Force an existing name is RunbookAlreadyExists, as on the server' {
        $err = Get-NonTerminatingError { Import-SmaRunbook -Path (Join-Path $folder 'Force4-Two.ps1') -Name Force4-Remote @remote }
        $onServer = Get-NonTerminatingError { Import-SmaRunbook -Path (Join-Path $folder 'Force4-Two.ps1') -Name Force4-Remote @server }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookAlreadyExists,*'
        $err.Exception.Message | Should -Be $onServer.Exception.Message
    }

    It 'replaces the source with a new version; the runbook keeps its id, settings and jobs, as locally' {
        $replaced = Import-SmaRunbook -Path (Join-Path $folder 'Force4-Two.ps1') -Name Force4-Remote -Force -Description 'forced' -Publish @remote
        Assert-SameAsOnServer $replaced (Get-SmaRunbook -Name Force4-Remote @server)
        $replaced.RunbookID | Should -Be $first.RunbookID
        $replaced.Description | Should -Be 'forced'
        $replaced.DraftRunbookVersionID | Should -BeNullOrEmpty
        $replaced.PublishedRunbookVersionID | Should -Not -Be $first.PublishedRunbookVersionID
        (Get-SmaRunbookDefinition -Name Force4-Remote @server).Content.Trim() | Should -Be "'version two'"
        (Get-SmaJob -Id $firstJob.JobId @server).RunbookId | Should -Be $first.RunbookID -Because 'its jobs stay'
        (Get-SmaRunbookDefinition -VersionId $firstJob.RunbookVersionId @remote).Content.Trim() | Should -Be "'version one'"

        # The same import on a local store gives the same runbook (beside its ids and times).
        $localFirst = Import-SmaRunbook -Path (Join-Path $folder 'Force4-Remote.ps1') -Publish
        $local = Import-SmaRunbook -Path (Join-Path $folder 'Force4-Two.ps1') -Name Force4-Remote -Force -Description 'forced' -Publish
        try {
            Assert-SameAsOnServer $replaced $local -Except RunbookID, PublishedRunbookVersionID, CreationTime, LastModifiedTime
        }
        finally {
            Remove-SmaRunbook -Name Force4-Remote -Confirm:$false
        }
        $localFirst.RunbookID | Should -Be $local.RunbookID
    }

    It 'Workflow source makes it a Workflow runbook and a draft without -Publish' {
        $replaced = Import-SmaRunbook -Path (Join-Path $folder 'Force4-Flow.ps1') -Name Force4-Remote -Force @remote
        Assert-SameAsOnServer $replaced (Get-SmaRunbook -Name Force4-Remote @server)
        $replaced.RunbookType | Should -Be 'Workflow'
        $replaced.Description | Should -Be 'forced' -Because 'what was not given keeps its value'
        $replaced.DraftRunbookVersionID | Should -Not -BeNullOrEmpty
        (Get-SmaRunbookDefinition -Name Force4-Remote -Type Draft -Translated @remote).Content | Should -BeLike "*'as a workflow'*"
        (Get-SmaRunbookDefinition -Name Force4-Remote @server).Content.Trim() | Should -Be "'version two'" -Because 'the published version stays'
        Assert-LocalStoreUnused
    }

    It 'a file with syntax errors, or a reader, changes nothing' {
        $before = Get-SmaRunbook -Name Force4-Remote @server
        $err = Get-NonTerminatingError { Import-SmaRunbook -Path (Join-Path $folder 'Force4-Broken.ps1') -Name Force4-Remote -Force @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookSyntaxError,*'
        $err = Get-TerminatingError { Import-SmaRunbook -Path (Join-Path $folder 'Force4-Two.ps1') -Name Force4-Remote -Force @reader }
        $err.FullyQualifiedErrorId | Should -BeLike 'AccessDenied,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        Import-SmaRunbook -Path (Join-Path $folder 'Force4-Two.ps1') -Name Force4-Remote -Force -WhatIf @remote
        $after = Get-SmaRunbook -Name Force4-Remote @server
        $after.DraftRunbookVersionID | Should -Be $before.DraftRunbookVersionID
        $after.LastModifiedTime | Should -Be $before.LastModifiedTime
    }
}

Describe 'Get-SmaScheduleHistory through a web service' {
    BeforeAll {
        Set-SmaSchedule -Name Tick4 -ScheduleType OneTimeSchedule -StartTime (Get-Date).AddSeconds(12) @remote | Out-Null
        Start-SmaRunbook -Name Kid4-Remote -ScheduleName Tick4 @remote -WarningAction SilentlyContinue | Out-Null
        Wait-Until { Get-SmaScheduleHistory -ScheduleName Tick4 @server } -TimeoutSeconds 120 -Because 'the server''s worker to run the occurrence'
    }

    It 'gives the rows the server has, newest first, narrowed by schedule, runbook and -First' {
        $rows = @(Get-SmaScheduleHistory -ScheduleName Tick4 @reader)
        $onServer = @(Get-SmaScheduleHistory -ScheduleName Tick4 @server)
        $rows.Count | Should -Be 1
        Assert-SameAsOnServer $rows[0] $onServer[0] -Except Lateness
        $rows[0].Outcome | Should -Be 'Started'
        $rows[0].JobId | Should -Not -BeNullOrEmpty
        [math]::Abs(($rows[0].Lateness - $onServer[0].Lateness).TotalMilliseconds) | Should -BeLessThan 2 -Because 'times are to the millisecond'
        (Get-SmaJob -Id $rows[0].JobId @remote).ScheduleName | Should -Be 'Tick4'

        @(Get-SmaScheduleHistory -RunbookName Kid4-Remote @remote).JobId | Should -Be @(Get-SmaScheduleHistory -RunbookName Kid4-Remote @server).JobId
        @(Get-SmaScheduleHistory -First 1 @remote).Count | Should -Be 1
        @(Get-SmaScheduleHistory @remote).JobId | Should -Be @(Get-SmaScheduleHistory @server).JobId
        Get-SmaScheduledRunbook -ScheduleName Tick4 @remote | Get-SmaScheduleHistory @remote | Select-Object -ExpandProperty JobId | Should -Be $rows[0].JobId
        Assert-LocalStoreUnused
    }

    It 'an unknown schedule or runbook is the local non-terminating error' {
        foreach ($case in @(
                @{ Script = { param($at) Get-SmaScheduleHistory -ScheduleName No-Such-Schedule @at }; ErrorId = 'ScheduleNotFound' }
                @{ Script = { param($at) Get-SmaScheduleHistory -RunbookName No-Such-Runbook @at }; ErrorId = 'RunbookNotFound' })) {
            $err = Get-NonTerminatingError { & $case.Script $remote }
            $onServer = Get-NonTerminatingError { & $case.Script $server }
            $err.FullyQualifiedErrorId | Should -BeLike "$($case.ErrorId),*"
            $err.FullyQualifiedErrorId | Should -Be $onServer.FullyQualifiedErrorId
            $err.CategoryInfo.Category | Should -Be $onServer.CategoryInfo.Category
            $err.Exception.Message | Should -Be $onServer.Exception.Message
        }
    }
}

Describe 'Export-SmaDashboard through a web service' {
    BeforeAll {
        Wait-Until { -not (Get-SmaJob @server | Where-Object { $_.Status -notin 'Completed', 'Failed', 'Stopped', 'Suspended' }) } -TimeoutSeconds 120 -Because 'every job on the server to come to rest'
    }

    It 'writes a page with the same jobs, history, records and sources as an export on the server' {
        $remotePage = Join-Path $SmaTestFolder 'remote4-dashboard.html'
        $serverPage = Join-Path $SmaTestFolder 'server4-dashboard.html'
        $file = Export-SmaDashboard -Path $remotePage -Hours 6 -PassThru @reader
        $file.FullName | Should -Be $remotePage
        Export-SmaDashboard -Path $serverPage -Hours 6 @server
        $fromRemote = Get-DashboardData $remotePage
        $fromServer = Get-DashboardData $serverPage

        $fromRemote.jobs.Count | Should -BeGreaterThan 3
        @($fromRemote.jobs.id) | Should -Be @($fromServer.jobs.id)
        @($fromRemote.jobs.status) | Should -Be @($fromServer.jobs.status)
        @($fromRemote.jobs.runbook) | Should -Be @($fromServer.jobs.runbook)
        @($fromRemote.jobs.versionId) | Should -Be @($fromServer.jobs.versionId)
        foreach ($i in 0..($fromServer.jobs.Count - 1)) {
            $r = $fromRemote.jobs[$i]; $s = $fromServer.jobs[$i]
            @($r.history.to) | Should -Be @($s.history.to) -Because "job $($s.id)'s status history"
            @($r.history.from) | Should -Be @($s.history.from)
            @($r.history.worker) | Should -Be @($s.history.worker)
            @($r.history.details) | Should -Be @($s.history.details)
            @($r.records.id) | Should -Be @($s.records.id) -Because "job $($s.id)'s records"
            @($r.records.text) | Should -Be @($s.records.text)
            @($r.parameters.name) | Should -Be @($s.parameters.name)
        }
        @($fromRemote.sources.PSObject.Properties.Name | Sort-Object) | Should -Be @($fromServer.sources.PSObject.Properties.Name | Sort-Object)
        foreach ($version in $fromServer.sources.PSObject.Properties.Name) {
            $fromRemote.sources.$version.content | Should -Be $fromServer.sources.$version.content
        }
        @($fromRemote.totals) | Should -Be @($fromServer.totals)
        Assert-LocalStoreUnused
    }

    It 'narrows by a runbook name or pattern as on the server; an unknown name writes nothing' {
        $remotePage = Join-Path $SmaTestFolder 'remote4-kids.html'
        $serverPage = Join-Path $SmaTestFolder 'server4-kids.html'
        Export-SmaDashboard -Path $remotePage -Hours 6 -RunbookName '*4-Remote' @remote
        Export-SmaDashboard -Path $serverPage -Hours 6 -RunbookName '*4-Remote' @server
        @((Get-DashboardData $remotePage).jobs.id) | Should -Be @((Get-DashboardData $serverPage).jobs.id)
        Export-SmaDashboard -Path $remotePage -Hours 6 -RunbookName Flow4-Remote @remote
        @((Get-DashboardData $remotePage).jobs.id) | Should -Be @($flowJob.JobId.ToString())

        $missing = Join-Path $SmaTestFolder 'remote4-none.html'
        $err = Get-NonTerminatingError { Export-SmaDashboard -Path $missing -RunbookName No-Such-Runbook @remote }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
        Test-Path $missing | Should -BeFalse
    }
}

# Runbook management (DESIGN §4.1): import, edit, publish, definitions, remove, wildcards, completion.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    function Write-RunbookFile([string] $Name, [string] $Source) {
        $path = Join-Path $SmaTestFolder "$Name.ps1"
        Set-Content -Path $path -Value $Source
        $path
    }
}

AfterAll {
    Remove-SmaTestStore
}

Describe 'Import-SmaRunbook' {
    It 'imports a draft named after the file, with tags and description' {
        $runbook = Import-SmaRunbook -Path (Write-RunbookFile 'Deploy-App' "'v1'") -Tags web, prod -Description 'Deploys'
        $runbook.RunbookName | Should -Be 'Deploy-App'
        $runbook.RunbookType | Should -Be 'Script'
        $runbook.Tags | Should -Be 'web,prod'
        $runbook.Description | Should -Be 'Deploys'
        $runbook.DraftRunbookVersionID | Should -Not -BeNullOrEmpty
        $runbook.PublishedRunbookVersionID | Should -BeNullOrEmpty
    }

    It 'imports under -Name, from the pipeline, with -RunbookType' {
        $runbook = Get-Item (Write-RunbookFile 'file-name' "'x'") | Import-SmaRunbook -Name Renamed -RunbookType Workflow -Publish
        $runbook.RunbookName | Should -Be 'Renamed'
        $runbook.RunbookType | Should -Be 'Workflow'
        $runbook.PublishedRunbookVersionID | Should -Not -BeNullOrEmpty
    }

    It 'refuses <Case> and stores nothing' -ForEach @(
        @{ Case = 'an empty file'; ErrorId = 'RunbookFileEmpty'; Make = { Write-RunbookFile 'Empty' '' } }
        @{ Case = 'a binary file'; ErrorId = 'RunbookFileNotText'; Make = { $p = Join-Path $SmaTestFolder 'Binary.ps1'; [IO.File]::WriteAllBytes($p, [byte[]](0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 0)); $p } }
        @{ Case = 'script after a workflow'; ErrorId = 'WorkflowScriptOutsideWorkflow'; Make = { Write-RunbookFile 'Flow' "workflow Flow {`n  'x'`n}`nFlow" } }
        @{ Case = 'a name with a quote'; ErrorId = 'InvalidRunbookName'; Make = { Write-RunbookFile "Bob's" "'x'" } }
    ) {
        $path = & $Make
        $before = @(Get-SmaRunbook).Count
        # A file that cannot be imported is a per-file, non-terminating error (DESIGN §6).
        $err = Get-NonTerminatingError { Import-SmaRunbook -Path $path }
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        @(Get-SmaRunbook).Count | Should -Be $before
    }

    It 'reports every syntax error with its line and column' {
        $err = Get-NonTerminatingError { Import-SmaRunbook -Path (Write-RunbookFile 'TwoErrors' "'ok'`n`$x = (1 + `n'fine'`nfunction f { ") }
        $err.FullyQualifiedErrorId | Should -BeLike 'RunbookSyntaxError,*'
        $err.Exception.Message | Should -Match 'Line \d+, column \d+'
        (Get-NonTerminatingError { Get-SmaRunbook TwoErrors }).FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
    }
}

Describe 'Edit, publish and definitions' {
    BeforeAll {
        Import-SmaRunbook -Path (Write-RunbookFile 'Versioned' "'version 1'") -Publish | Out-Null
        $first = Start-SmaRunbook Versioned -Wait
    }

    It 'edits the draft, refuses a second draft without -Overwrite, and publishes' {
        $runbook = Edit-SmaRunbook -Name Versioned -Path (Write-RunbookFile 'v2' "'version 2'")
        $runbook.DraftRunbookVersionID | Should -Not -BeNullOrEmpty
        (Get-NonTerminatingError { Edit-SmaRunbook Versioned -Path (Write-RunbookFile 'v3' "'version 3'") }).FullyQualifiedErrorId |
            Should -BeLike 'RunbookDraftExists,*'
        Edit-SmaRunbook Versioned -Path (Write-RunbookFile 'v3' "'version 3'") -Overwrite | Out-Null
        (Get-SmaRunbookDefinition -Name Versioned -Type Draft).Content.Trim() | Should -Be "'version 3'"
        (Get-SmaRunbookDefinition -Name Versioned -Type Published).Content.Trim() | Should -Be "'version 1'"
        (Start-SmaRunbook Versioned -Wait | Get-SmaJobOutput -Stream Output).StreamText | Should -Be 'version 1'
        Get-SmaRunbook Versioned | Publish-SmaRunbook | Out-Null
        (Start-SmaRunbook Versioned -Wait | Get-SmaJobOutput -Stream Output).StreamText | Should -Be 'version 3'
    }

    It 'gives the exact source a job ran, after the runbook changed' {
        $definition = Get-SmaJob -Id $first | Get-SmaRunbookDefinition
        $definition.Content.Trim() | Should -Be "'version 1'"
        $definition.RunbookVersion.RunbookVersionID | Should -Be $first.RunbookVersionId
        (Get-SmaRunbookDefinition -VersionId $first.RunbookVersionId).Content.Trim() | Should -Be "'version 1'"
    }

    It 'says when there is no draft' {
        (Get-NonTerminatingError { Get-SmaRunbookDefinition -Name Versioned -Type Draft }).FullyQualifiedErrorId | Should -BeLike 'RunbookHasNoDraft,*'
        (Get-NonTerminatingError { Publish-SmaRunbook -Name Versioned }).FullyQualifiedErrorId | Should -BeLike 'RunbookHasNoDraft,*'
    }
}

Describe 'Get-SmaRunbook and Remove-SmaRunbook' {
    BeforeAll {
        foreach ($n in 'Ops-Backup', 'Ops-Restore', 'Dev-Build') { Import-SmaRunbook -Path (Write-RunbookFile $n "'$n'") -Publish | Out-Null }
    }

    It 'matches wildcards, any case' {
        (Get-SmaRunbook -Name 'ops-*').RunbookName | Should -Be @('Ops-Backup', 'Ops-Restore')
        (Get-SmaRunbook -Name '*-b*').RunbookName | Should -Be @('Dev-Build', 'Ops-Backup')
        @(Get-SmaRunbook -Name 'Nothing*').Count | Should -Be 0
        (Get-SmaRunbook -Id (Get-SmaRunbook Dev-Build).RunbookID).RunbookName | Should -Be 'Dev-Build'
    }

    It 'removes nothing with -WhatIf, and removes with -Confirm:$false' {
        Remove-SmaRunbook -Name Dev-Build -WhatIf
        Get-SmaRunbook Dev-Build | Should -Not -BeNullOrEmpty
        Remove-SmaRunbook -Name Dev-Build -Confirm:$false
        (Get-NonTerminatingError { Get-SmaRunbook Dev-Build }).FullyQualifiedErrorId | Should -BeLike 'RunbookNotFound,*'
    }

    It 'keeps the jobs of a removed runbook and the source they ran' {
        $job = Start-SmaRunbook Ops-Restore -Wait
        Get-SmaRunbook Ops-Restore | Remove-SmaRunbook -Confirm:$false
        (Get-SmaJob -Id $job).RunbookName | Should -Be 'Ops-Restore'
        ($job | Get-SmaRunbookDefinition).Content.Trim() | Should -Be "'Ops-Restore'"
    }

    It 'completes runbook names with Tab' {
        $line = 'Start-SmaRunbook -Name Ops-B'
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be @('Ops-Backup')
        $line = 'Get-SmaJob -RunbookName ops'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Ops-Backup'
    }
}

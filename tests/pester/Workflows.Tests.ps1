# Workflow runbooks (DESIGN §11): SMA's PowerShell Workflow source imported as it is, translated to PowerShell 7
# and run. The runbooks are in tests/pester/workflows/.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Initialize-SmaTestStore
    $workflows = Join-Path $PSScriptRoot 'workflows'

    function Import-TestWorkflow([string] $File, [string] $Name) {
        $options = @{ Path = (Join-Path $workflows "$File.ps1"); Publish = $true }
        if ($Name) { $options.Name = $Name }
        Import-SmaRunbook @options
    }
    # The line of the first occurrence of $Text in a test workflow: positions are checked against the file itself.
    function Get-LineOf([string] $File, [string] $Text) {
        (Select-String -Path (Join-Path $workflows "$File.ps1") -SimpleMatch $Text | Select-Object -First 1).LineNumber
    }
    function New-TestFolder { (New-Item -ItemType Directory -Path (Join-Path $SmaTestFolder ([guid]::NewGuid().ToString('n')))).FullName }
    function Get-Output($Job) { @((Get-SmaJobOutput -Id $Job -Stream Output).StreamText) }
}

AfterAll {
    Stop-TestJobs
    Remove-SmaTestStore
}

Describe 'Importing Workflow source' {
    BeforeAll {
        $tally = Import-TestWorkflow Invoke-ParallelTally
        $source = Get-Content (Join-Path $workflows 'Invoke-ParallelTally.ps1') -Raw
    }

    It 'names the runbook after its workflow and makes it a Workflow runbook' {
        $tally.RunbookName | Should -Be 'Invoke-ParallelTally'
        $tally.RunbookType | Should -Be 'Workflow'
    }

    It 'keeps the source as it was imported' {
        (Get-SmaRunbookDefinition -Name Invoke-ParallelTally).Content | Should -BeExactly $source
    }

    It 'shows with -Translated the PowerShell 7 script jobs run, every line where it was' {
        $translated = (Get-SmaRunbookDefinition -Name Invoke-ParallelTally -Translated).Content
        $translated | Should -Match 'Invoke-SmaWorkflowParallel \(Get-Variable\) @\('
        $translated | Should -Not -Match '(?m)^\s*workflow '
        $original = $source -split "`r?`n"
        $lines = $translated -split "`r?`n"
        $lines.Count | Should -Be $original.Count
        $line = Get-LineOf Invoke-ParallelTally '"total $total"'
        $lines[$line - 1].Trim() | Should -Be '"total $total"'
        $errors = $null
        [void][System.Management.Automation.Language.Parser]::ParseInput($translated, [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty
    }

    It 'keeps both texts in the job''s snapshot of the version it ran' {
        $job = Start-SmaRunbook Invoke-ParallelTally -Wait
        ($job | Get-SmaRunbookDefinition).Content | Should -BeExactly $source
        ($job | Get-SmaRunbookDefinition -Translated).Content | Should -Match 'Invoke-SmaWorkflowParallel'
        (Get-SmaRunbookDefinition -VersionId $job.RunbookVersionId).Translated | Should -Match 'Invoke-SmaWorkflowParallel'
    }

    It 'runs the workflow named by -Name from a file of several; the others are helpers it calls' {
        $runbook = Import-TestWorkflow Multi-Workflows -Name Report-Squares
        $runbook.RunbookName | Should -Be 'Report-Squares'
        $job = Start-SmaRunbook Report-Squares -Parameters @{ Upto = 2 } -Wait
        $job.JobStatus | Should -Be 'Completed'
        Get-Output $job | Should -Be @('square of 1 is 1', 'square of 2 is 4', 'cube of 2 is 8')
    }

    It 'refuses a file of several workflows when neither the name nor the file picks one, and stores nothing' {
        $before = @(Get-SmaRunbook).Count
        $err = Get-NonTerminatingError { Import-TestWorkflow Multi-Workflows }
        $err.FullyQualifiedErrorId | Should -BeLike 'WorkflowEntryNotFound,*'
        $err.Exception.Message | Should -BeLike "*'Get-Square', 'Report-Squares', 'Get-Cube'*"
        @(Get-SmaRunbook).Count | Should -Be $before
    }

    It 'takes Workflow source in Edit-SmaRunbook too' {
        $path = Join-Path $SmaTestFolder 'Edited.ps1'
        Set-Content $path "workflow Edited { 'first' }"
        Import-SmaRunbook -Path $path -Publish | Out-Null
        Set-Content $path "workflow Edited {`n  Parallel { 'second' }`n}"
        Edit-SmaRunbook -Name Edited -Path $path | Publish-SmaRunbook | Out-Null
        Get-Output (Start-SmaRunbook Edited -Wait) | Should -Be 'second'
        (Get-SmaRunbookDefinition -Name Edited -Translated).Content | Should -Match 'Invoke-SmaWorkflowParallel'
    }

    It 'refuses script after the workflows naming its line, and stores nothing' {
        $path = Join-Path $SmaTestFolder 'Test-X.ps1'
        Set-Content $path "workflow Test-X`n{`n  'x'`n}`n`nMeasure-Command { Test-X }"
        $before = @(Get-SmaRunbook).Count
        $err = Get-NonTerminatingError { Import-SmaRunbook -Path $path }
        $err.FullyQualifiedErrorId | Should -BeLike 'WorkflowScriptOutsideWorkflow,*'
        $err.Exception.Message | Should -BeLike '*line 6*Measure-Command { Test-X }*'
        @(Get-SmaRunbook).Count | Should -Be $before
    }
}

Describe 'Running workflow runbooks' {
    It 'Parallel: branches change workflow variables through $Workflow:, their own variables stay theirs' {
        $job = Start-SmaRunbook Invoke-ParallelTally -Parameters @{ Start = 100 } -Wait
        $job.JobStatus | Should -Be 'Completed'
        Get-Output $job | Should -Be @('total 103', 'names branch three', 'fromBranch set by branch three', 'local is not visible')
    }

    It 'foreach -parallel: ThrottleLimit items run at once (each waits for its batch''s markers), never more' {
        Import-TestWorkflow Wait-ForEachMarkers | Out-Null
        $folder = New-TestFolder
        $job = Start-SmaRunbook Wait-ForEachMarkers -Parameters @{ Folder = $folder; Count = 8; Throttle = 4 } -Wait
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        $output = Get-Output $job
        $output.Count | Should -Be 9
        $output[-1] | Should -Be 'all items done'
        $atOnce = $output | Select-Object -First 8 | ForEach-Object { [int]($_ -replace '.*; (\d+) running at once', '$1') }
        ($atOnce | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 4
        @(Get-ChildItem $folder -Filter 'batch*').Count | Should -Be 8
        @(Get-ChildItem $folder -Filter 'running-*').Count | Should -Be 0
    }

    It 'InlineScript: $Using: reads workflow variables, its value is live objects, its variables do not leak' {
        Import-TestWorkflow Get-InlineObjects | Out-Null
        $job = Start-SmaRunbook Get-InlineObjects -Parameters @{ Greeting = 'hi' } -Wait
        $job.JobStatus | Should -Be 'Completed'
        Get-Output $job | Should -Be @(
            'hi from inline (3 numbers, first 1) and more'
            'builder is System.Text.StringBuilder'
            'inside leaked: False'
            'list 7,8 List`1')
    }

    It 'nested workflows and functions are called by name, with named and positional parameters, also from branches' {
        Import-TestWorkflow Invoke-NestedCalls | Out-Null
        $job = Start-SmaRunbook Invoke-NestedCalls -Parameters @{ Name = 'Ada' } -Wait
        $job.JobStatus | Should -Be 'Completed'
        Get-Output $job | Should -Be @('Hello, Ada!', 'Hello, Ada?', 'HELLO, ADA!', 'FROM A BRANCH', 'defined later, called with 3')
        (Get-TerminatingError { Start-SmaRunbook Invoke-NestedCalls }).FullyQualifiedErrorId | Should -BeLike 'MissingMandatoryParameter,*'
    }

    It '-PSPersist $true checkpoints after the activity: suspended there, the job resumes after it' {
        Import-TestWorkflow Save-Progress | Out-Null
        $folder = New-TestFolder
        $job = Start-SmaRunbook Save-Progress -Parameters @{ Folder = $folder }
        Wait-Until { @(Get-ChildItem $folder -Filter 'step1-*').Count -eq 1 } -Because 'step 1'
        Wait-TestJobStatus -Id $job -Status Running | Out-Null   # the Running change commits while the job starts
        (Suspend-SmaJob -Id $job -PassThru).JobStatus | Should -Be 'Suspending'
        Set-Content (Join-Path $folder 'gate') 'go'
        (Wait-SmaJob -Id $job -Timeout 90).JobStatus | Should -Be 'Suspended'
        @(Get-ChildItem $folder -Filter 'step*').Count | Should -Be 2
        Resume-SmaJob -Id $job
        (Wait-SmaJob -Id $job -Timeout 90).JobStatus | Should -Be 'Completed'
        @(Get-ChildItem $folder -Filter 'step1-*').Count | Should -Be 1 -Because 'nothing before the checkpoint runs again'
        @(Get-ChildItem $folder -Filter 'step2-*').Count | Should -Be 1
        @(Get-ChildItem $folder -Filter 'step3-*').Count | Should -Be 1
        Get-Output $job | Should -Be @('step 2 made step2', 'step 3 done')
    }

    It 'activity common parameters: retries and timeouts are honoured, the rest dropped with a Verbose record' {
        Import-TestWorkflow Use-ActivityParameters | Set-SmaRunbookConfiguration -LogVerbose $true | Out-Null
        $job = Start-SmaRunbook Use-ActivityParameters -Wait -Timeout 120
        $verbose = @((Get-SmaJobOutput -Id $job -Stream Verbose).StreamText)
        $line = Get-LineOf Use-ActivityParameters "-DisplayName 'Read the clock'"
        $verbose | Should -Contain "-DisplayName of Get-Date at line $line was ignored: Get-Date has no such parameter (in Windows PowerShell Workflow it only named the activity)."
        $verbose | Where-Object { $_ -like "-PSDisableSerialization of Get-Date at line $line was ignored:*" } | Should -Not -BeNullOrEmpty
        $verbose | Where-Object { $_ -like "-PSProgressMessage of Get-Date at line $line was ignored:*" } | Should -Not -BeNullOrEmpty
        @($verbose | Where-Object { $_ -like 'InlineScript at line * failed (attempt *' }).Count | Should -Be 2
        Get-Output $job | Should -Be @('date is DateTime', 'succeeded on attempt 3', 'merged: ErrorRecord')
        $job.ErrorCount | Should -Be 0 -Because 'the merged error went to the output'
        $timeoutLine = Get-LineOf Use-ActivityParameters 'PSActionRunningTimeoutSec 1'
        $job.JobStatus | Should -Be 'Suspended'
        $job.StatusDetails | Should -BeLike "*InlineScript at line $timeoutLine did not finish within its 1 s timeout*(line $timeoutLine,*"
    }

    It 'a terminating error in a branch stops the other branches and suspends the job; positions are the original lines' {
        Import-TestWorkflow Stop-InBranch | Out-Null
        $job = Start-SmaRunbook Stop-InBranch -Parameters @{ Folder = (New-TestFolder) } -Wait -Timeout 90
        $job.JobStatus | Should -Be 'Suspended'
        $failing = Get-LineOf Stop-InBranch "Get-Item -Path (Join-Path `$Folder 'missing') -ErrorAction Stop"
        $job.StatusDetails | Should -BeLike "*(line $failing, char *"
        $job.JobException | Should -BeLike "*At line:$failing *"
        $errors = @(Get-SmaJobOutput -Id $job -Stream Error).StreamText
        $errors.Count | Should -Be 2
        $errors[0] | Should -BeLike "*missing-before-the-branches*At line:$(Get-LineOf Stop-InBranch 'missing-before-the-branches') *"
        $errors[1] | Should -BeLike "*missing-in-a-branch*At line:$(Get-LineOf Stop-InBranch 'missing-in-a-branch') *"
        Get-Output $job | Should -BeNullOrEmpty -Because 'the waiting branch was stopped'
    }

    It 'Write-Error in a branch names a line of the runbook''s own source, never the engine''s code' {
        $path = Join-Path $SmaTestFolder 'Write-BranchErrors.ps1'
        Set-Content $path "workflow Write-BranchErrors`n{`n    Parallel`n    {`n        Write-Error 'from a branch'`n    }`n    foreach -parallel (`$i in 1..2)`n    {`n        Write-Error `"from item `$i`"`n    }`n}"
        Import-SmaRunbook -Path $path -Publish | Out-Null
        $job = Start-SmaRunbook Write-BranchErrors -Wait -Timeout 90
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        $errors = @(Get-SmaJobOutput -Id $job -Stream Error).StreamText
        $errors.Count | Should -Be 3
        foreach ($text in $errors) {
            $text | Should -Not -BeLike '*trap*' -Because 'the branch runs as its own code, not through a wrapper'
            $text | Should -Match 'At line:(5|7|8|9) ' -Because 'the line is the branch''s own (its statement, or the block''s opening)'
        }
    }

    It 'Microsoft''s checkpoint sample as a workflow: 1 + "abc" suspends it after the checkpoint, resumed it goes on right after it' {
        Set-SmaVariable -Name HasBeenSuspended -Value $false
        Import-TestWorkflow Test-Checkpoint | Out-Null
        $job = Start-SmaRunbook Test-Checkpoint -Wait -Timeout 90
        $job.JobStatus | Should -Be 'Suspended'
        $job.StatusDetails | Should -BeLike "*Cannot convert value `"abc`"*(line $(Get-LineOf Test-Checkpoint '1 + "abc"'),*"
        (Get-SmaVariable HasBeenSuspended).Value | Should -BeTrue
        Get-Output $job | Should -Be @('Before Checkpoint', 'After Checkpoint')
        Resume-SmaJob -Id $job
        $job = Wait-SmaJob -Id $job -Timeout 90
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        Get-Output $job | Should -Be @('Before Checkpoint', 'After Checkpoint', 'After Checkpoint', 'Runbook completed')
        (Get-SmaJobHistory -Id $job -StatusOnly)[-2].Text | Should -Be "Resuming -> Running: Resumed after the checkpoint on line $(Get-LineOf Test-Checkpoint 'Checkpoint-Workflow')."
    }

    It 'asset activities work in branches as in the workflow itself' {
        Set-SmaVariable -Name WfGreeting -Value 'hello'
        $path = Join-Path $SmaTestFolder 'Get-Greetings.ps1'
        Set-Content $path "workflow Get-Greetings`n{`n    foreach -parallel (`$i in 1..2) { `"`$(Get-AutomationVariable -Name WfGreeting) `$i`" }`n    Parallel { Set-AutomationVariable -Name WfGreeting -Value 'set in a branch' }`n}"
        Import-SmaRunbook -Path $path -Publish | Out-Null
        $job = Start-SmaRunbook Get-Greetings -Wait
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        Get-Output $job | Sort-Object | Should -Be @('hello 1', 'hello 2')
        (Get-SmaVariable WfGreeting).Value | Should -Be 'set in a branch'
    }

    It 'the constructs together: a nested workflow per server in parallel, InlineScripts, $Workflow: results, a checkpoint' {
        Import-TestWorkflow Deploy-Combined | Out-Null
        $job = Start-SmaRunbook Deploy-Combined -Wait -Timeout 120
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        $stamp = Get-Date -Format 'yyyyMMdd'
        $output = Get-Output $job | Sort-Object
        $output | Should -Be @("deployed 3 packages", "sorted: DB1-BACKEND-$stamp, WEB1-FRONTEND-$stamp, WEB2-FRONTEND-$stamp")
    }

    It 'InlineScript -PSComputerName on a worker without remoting ends with a clear error at its line' -Skip:$IsWindows {
        $path = Join-Path $SmaTestFolder 'Get-RemoteName.ps1'
        Set-Content $path "workflow Get-RemoteName`n{`n    `$server = 'srv1.contoso.com'`n    InlineScript { hostname } -PSComputerName `$server -PSCredential `$null`n}"
        Import-SmaRunbook -Path $path -Publish | Out-Null
        $job = Start-SmaRunbook Get-RemoteName -Wait
        $job.JobStatus | Should -Be 'Suspended'
        $job.StatusDetails | Should -BeLike '*InlineScript at line 4 asks to run on srv1.contoso.com (-PSComputerName), but PowerShell remoting is not available to this worker*(line 4,*'
        @(Get-SmaJobOutput -Id $job -Stream Error).Count | Should -Be 0 -Because 'the error is the job''s end, not also a record'
    }

    It 'a workflow runbook calls another workflow runbook inline by its name, as in SMA' {
        $child = Join-Path $SmaTestFolder 'Get-Doubled.ps1'
        Set-Content $child "workflow Get-Doubled`n{`n    param([int[]] `$Values)`n    foreach -parallel (`$v in `$Values) { `$v * 2 }`n}"
        $parent = Join-Path $SmaTestFolder 'Sum-Doubled.ps1'
        Set-Content $parent "workflow Sum-Doubled`n{`n    `$doubled = Get-Doubled -Values 1, 2, 3`n    `"sum `$((`$doubled | Measure-Object -Sum).Sum)`"`n}"
        Import-SmaRunbook -Path $child -Publish | Out-Null
        Import-SmaRunbook -Path $parent -Publish | Out-Null
        $job = Start-SmaRunbook Sum-Doubled -Wait
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        Get-Output $job | Should -Be 'sum 12'
        ($job | Get-SmaRunbookDefinition -Children -Translated).Content | Should -Match 'Invoke-SmaWorkflowForEach'
    }

    It 'has $WorkflowCommandName and $PSPrivateMetadata.JobId, and what Workflow forbade simply works' {
        $path = Join-Path $SmaTestFolder 'Show-Context.ps1'
        Set-Content $path @'
workflow Show-Context
{
    $To = 'reserved in Workflow'
    $sb = [System.Text.StringBuilder]::new()
    [void] $sb.Append('method calls')
    Write-Output "$WorkflowCommandName $($PSPrivateMetadata.JobId.Guid) $($PSPrivateMetadata.JobId -is [guid]) $To $sb"
}
'@
        Import-SmaRunbook -Path $path -Publish | Out-Null
        $job = Start-SmaRunbook Show-Context -Wait
        Get-Output $job | Should -Be "Show-Context $($job.JobId) True reserved in Workflow method calls"
    }
}

Describe 'Checkpoints in workflow runbooks resume exactly where they were' {
    BeforeAll {
        Import-TestWorkflow New-FiveItems | Out-Null
        function Get-MarkerCounts([string] $Folder, [string] $Filter = '*') {
            Get-ChildItem $Folder -Filter $Filter | ForEach-Object { $_.Name -replace '-.*' } | Group-Object -NoElement |
                Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }
        }
        $items = @('item1=1', 'item2=1', 'item3=1', 'item4=1', 'item5=1')
        $processed = @(1..5 | ForEach-Object { "processed item $_" }) + 'all done: 5'
    }

    It 'a foreach suspended by Suspend-SmaJob after item 2 goes on with item 3: each item once, the collection listed once' {
        $markers = New-TestFolder
        $gate = Join-Path (New-TestFolder) 'gate'
        $job = Start-SmaRunbook New-FiveItems -Parameters @{ Markers = $markers; Gate = $gate }
        Wait-Until { Test-Path (Join-Path $markers 'item2-*') } -Because 'item 2'
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        (Suspend-SmaJob -Id $job -PassThru).JobStatus | Should -Be 'Suspending'
        Set-Content $gate 'go'
        (Wait-SmaJob -Id $job -Timeout 90).JobStatus | Should -Be 'Suspended'
        Get-MarkerCounts $markers 'item*' | Should -Be @('item1=1', 'item2=1')
        Resume-SmaJob -Id $job
        $job = Wait-SmaJob -Id $job -Timeout 90
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        Get-MarkerCounts $markers 'item*' | Should -Be $items
        Get-MarkerCounts $markers 'listed*' | Should -Be 'listed=1' -Because 'the loop walks the items it had: its collection is not evaluated again'
        Get-Output $job | Should -Be $processed
        $line = Get-LineOf New-FiveItems "'missing-after-the-resume'"
        $column = (Get-Content (Join-Path $workflows 'New-FiveItems.ps1'))[$line - 1].IndexOf('Get-Item') + 1
        $errors = @((Get-SmaJobOutput -Id $job -Stream Error).StreamText)
        $errors.Count | Should -Be 1
        $errors[0] | Should -BeLike "*missing-after-the-resume*At line:$line char:$column*" -Because 'error positions name the workflow''s own line and column after a resume'
        $checkpoint = Get-LineOf New-FiveItems '{ Checkpoint-Workflow }'
        (Get-SmaJobHistory -Id $job -StatusOnly)[-2].Text |
            Should -Be "Resuming -> Running: Resumed after the checkpoint on line $checkpoint (iteration 2 of the foreach on line $(Get-LineOf New-FiveItems 'foreach ($item in Get-Items)'))."
    }

    It 'a foreach that suspends itself with Suspend-Workflow after item 2 goes on with item 3, each item once' {
        $markers = New-TestFolder
        $job = Start-SmaRunbook New-FiveItems -Parameters @{ Markers = $markers; SuspendAt = 2 } -Wait -Timeout 90
        $job.JobStatus | Should -Be 'Suspended'
        Get-MarkerCounts $markers 'item*' | Should -Be @('item1=1', 'item2=1')
        Resume-SmaJob -Id $job
        (Wait-SmaJob -Id $job -Timeout 90).JobStatus | Should -Be 'Completed'
        Get-MarkerCounts $markers 'item*' | Should -Be $items
        Get-MarkerCounts $markers 'listed*' | Should -Be 'listed=1'
        Get-Output $job | Should -Be $processed
    }

    It 'checkpoints inside for, while, if, try and foreach resume right after themselves; one in a nested workflow runs its call again' {
        Import-TestWorkflow Resume-Everywhere | Out-Null
        $markers = New-TestFolder
        $job = Start-SmaRunbook Resume-Everywhere -Parameters @{ Markers = $markers } -Wait -Timeout 90
        $resumes = 0
        while ($job.JobStatus -eq 'Suspended' -and $resumes -lt 10) {
            $resumes++
            Resume-SmaJob -Id $job
            $job = Wait-SmaJob -Id $job -Timeout 90
        }
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        $resumes | Should -Be 4 -Because 'it suspends in the for, the while (-PSPersist), the try and the nested workflow'
        Get-MarkerCounts $markers | Should -Be @(
            'afternestedb=1', 'end=1', 'finally=1', 'for1=1', 'for2=1', 'nestedb=2', 'plaina=1', 'try=1', 'tryafter=1', 'while1=1', 'while2=1', 'while3=1')
        Get-Output $job | Should -Be @(
            'step for1', 'step for2', 'step while1', 'step while2', 'step while3', 'step try', 'step tryafter', 'step finally',
            'step plaina', 'step nestedb', 'step nestedb', 'step afternestedb', 'step end')
        $history = @(Get-SmaJobHistory -Id $job -StatusOnly | Where-Object Text -Like 'Resuming -> Running:*').Text
        $history | Should -Be @(
            "Resuming -> Running: Resumed after the checkpoint on line $(Get-LineOf Resume-Everywhere '{ Suspend-Workflow }')."
            "Resuming -> Running: Resumed after the checkpoint on line $(Get-LineOf Resume-Everywhere '-PSPersist $true | Out-Null')."
            "Resuming -> Running: Resumed after the checkpoint on line $((Get-LineOf Resume-Everywhere "Step 'try'") + 1)."
            "Resuming -> Running: Resumed at line $(Get-LineOf Resume-Everywhere 'Save-Inside -Name'), running that statement again (its checkpoint was taken inside a call) (iteration 2 of the foreach on line $(Get-LineOf Resume-Everywhere 'foreach ($name in')))."
        )
    }

    It 'foreach -parallel suspended mid-way runs again only the items that had not completed; $Workflow: variables go on' {
        Import-TestWorkflow Invoke-ParallelItems | Out-Null
        $markers = New-TestFolder
        $gate = Join-Path (New-TestFolder) 'gate'
        $job = Start-SmaRunbook Invoke-ParallelItems -Parameters @{ Markers = $markers; Gate = $gate } -Wait -Timeout 90
        $job.JobStatus | Should -Be 'Suspended' -Because $job.StatusDetails
        Get-MarkerCounts $markers 'done*' | Should -Be @('done1=1', 'done2=1', 'done3=1')
        Set-Content $gate 'open'
        Resume-SmaJob -Id $job
        $job = Wait-SmaJob -Id $job -Timeout 90
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        Get-MarkerCounts $markers 'done*' | Should -Be @(1..8 | ForEach-Object { "done$_=1" })
        $started = @(Get-MarkerCounts $markers 'start*')
        $started | Where-Object { $_ -match '^start[123]=' } | Should -Be @('start1=1', 'start2=1', 'start3=1') -Because 'completed items are not run again'
        $started | Where-Object { $_ -match '^start[45]=' } | Should -Be @('start4=2', 'start5=2') -Because 'items still running at the checkpoint run again'
        $started | Where-Object { $_ -match '^start[78]=' } | Should -Be @('start7=1', 'start8=1')
        $output = Get-Output $job
        $output | Select-Object -SkipLast 1 | Sort-Object | Should -Be @(1..8 | ForEach-Object { "item $_" })
        $output[-1] | Should -Be 'count 8' -Because 'the checkpoint kept $count as the completed items left it (3)'
        (Get-SmaJobHistory -Id $job -StatusOnly)[-2].Text |
            Should -Be "Resuming -> Running: Resumed at line $(Get-LineOf Invoke-ParallelItems 'foreach -parallel -ThrottleLimit 3'), running that statement again (its checkpoint was taken inside a call)."
    }

    It 'records a branch wrote just before the checkpoint it suspends at are all kept, once' {
        $path = Join-Path $SmaTestFolder 'Write-BeforeSuspend.ps1'
        Set-Content $path "workflow Write-BeforeSuspend`n{`n    Parallel`n    {`n        Sequence`n        {`n            1..3000 | ForEach-Object { `"line `$_`" }`n            Suspend-Workflow`n        }`n    }`n    'after the block'`n}"
        Import-SmaRunbook -Path $path -Publish | Out-Null
        $job = Start-SmaRunbook Write-BeforeSuspend -Wait -Timeout 90
        $job.JobStatus | Should -Be 'Suspended' -Because $job.StatusDetails
        Resume-SmaJob -Id $job
        $job = Wait-SmaJob -Id $job -Timeout 90
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        $output = Get-Output $job
        $output.Count | Should -Be 3001
        $output[0] | Should -Be 'line 1'
        $output[2999] | Should -Be 'line 3000'
        $output[3000] | Should -Be 'after the block'
    }

    It 'Parallel suspended at a branch''s last checkpoint runs again only the branch still running' {
        Import-TestWorkflow Invoke-ParallelBranches | Out-Null
        $markers = New-TestFolder
        $gate = Join-Path (New-TestFolder) 'gate'
        $job = Start-SmaRunbook Invoke-ParallelBranches -Parameters @{ Markers = $markers; Gate = $gate }
        Wait-Until { (Test-Path (Join-Path $markers 'first-*')) -and (Test-Path (Join-Path $markers 'second-*')) } -Because 'both branches to start'
        Wait-TestJobStatus -Id $job -Status Running | Out-Null
        (Suspend-SmaJob -Id $job -PassThru).JobStatus | Should -Be 'Suspending'
        Set-Content "$gate-first" 'open'
        (Wait-SmaJob -Id $job -Timeout 90).JobStatus | Should -Be 'Suspended'
        Set-Content "$gate-second" 'open'
        Resume-SmaJob -Id $job
        $job = Wait-SmaJob -Id $job -Timeout 90
        $job.JobStatus | Should -Be 'Completed' -Because $job.StatusDetails
        Get-MarkerCounts $markers | Should -Be @('first=1', 'second=2') -Because 'the branch completed at the checkpoint does not run again'
        Get-Output $job | Should -Be @('branch 1', 'branch 2', 'both branches done')
    }
}

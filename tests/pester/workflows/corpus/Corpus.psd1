# The corpus's expectations, one row per run, beside the runbooks (read by tests/pester/WorkflowCorpus.Tests.ps1).
#
# A row:
#   Case         what the row shows (the test's name)
#   Runbook      the runbook started (a file <Runbook>.ps1 here)
#   Imports      files imported (published) first, children before callers; default: Runbook alone
#   Parameters   Start-SmaRunbook -Parameters; '{Markers}' and '{Work}' become fresh folders of the run
#   Variables    variable assets set before the start; Credentials: name = user, password
#   Files        files created in {Work} before the start
#   Log          runbook configuration: LogVerbose, LogProgress, LogDebug (set on every imported runbook)
#   Hold         suspended from outside: wait for a marker file (Marker), then Suspend-SmaJob, then create Release
#   Suspensions  each time the job is expected to end Suspended before its end, in order: Details (-like), then the
#                fix (SetVariables, CreateFiles) made before Resume-SmaJob
#   Status       final status; Details / Exception: -like patterns for its StatusDetails / JobException
#   Output, Verbose, Warning, Debug, Progress, Information: every record of that stream, exactly and in order
#                (a stream not given must have none); Sorted names streams whose order is not deterministic
#   Errors       every Error record, as -like patterns, in order
#   Markers      marker files in {Markers} by name (the part before '-<guid>'): how often each step ran
#   History      the "Resuming -> Running: ..." history texts, in order
#   VariablesAfter  variable assets' values at the end
#   Restarted    the job the runbook started of itself: Output; no further job of the runbook
#   Skip         the reason, when a row cannot pass yet
# In any text, {line:TEXT} is the first line starting with TEXT in the row's files (Runbook first, then Imports),
# {JobId} the job's id and {RestartedJobId} the id of the job it started.
@{
    Runs = @(
        @{
            Case       = 'param attributes, [CmdletBinding()], [OutputType()], Verbose/Warning/Output records'
            Runbook    = 'Get-ServiceInventory'
            Parameters = @{ Role = 'Web' }
            Log        = @{ LogVerbose = $true }
            Status     = 'Completed'
            Output     = @('W3SVC installed', 'WAS installed', 'inventory of Web done')
            Verbose    = @('Building the inventory for role Web', 'Checked 3 services')
            Warning    = @('IISADMIN is missing on the Web server')
        }
        @{
            Case       = 'the same runbook with other parameters and LogVerbose off: no Verbose records kept'
            Runbook    = 'Get-ServiceInventory'
            Parameters = @{ Role = 'Sql'; MaxServices = 1; Installed = @('MSSQLSERVER') }
            Status     = 'Completed'
            Output     = @('MSSQLSERVER installed', 'inventory of Sql done')
        }
        @{
            Case           = 'Get-/Set-AutomationVariable, Write-Error goes on (non-terminating)'
            Runbook        = 'Test-DiskThreshold'
            Parameters     = @{ Drives = @('C:42', 'D:5', 'E:10') }
            Variables      = @{ DiskThresholdPercent = 10; DiskLowCount = 0 }
            Status         = 'Completed'
            Output         = @('Drive C: ok (42% free)', 'Drive E: ok (10% free)', '1 of 3 drives below 10%')
            Errors         = @('Drive D: has only 5% free (threshold 10%)*')
            VariablesAfter = @{ DiskLowCount = 1 }
        }
        @{
            Case        = 'nested foreach loops with checkpoints: Suspend-Workflow in the inner loop, resumed at the next patch'
            Runbook     = 'Invoke-ServerPatching'
            Parameters  = @{ Servers = @('web1', 'web2'); LogPath = '{Markers}'; PauseAfter = 'web2/KB1001' }
            Log         = @{ LogVerbose = $true }
            Suspensions = @(@{ Details = 'Suspended by Suspend-Workflow in the runbook.' })
            Status      = 'Completed'
            Output      = @('web1 KB1001 applied', 'web1 KB1002 applied', 'web1 rebooted', 'web2 KB1001 applied',
                            'web2 KB1002 applied', 'web2 rebooted', '4 patches applied')
            Verbose     = @('Patching web1', 'Patching web2')
            Warning     = @('Maintenance window closed after web2 KB1001; suspending')
            Markers     = @{ 'web1.KB1001' = 1; 'web1.KB1002' = 1; 'web2.KB1001' = 1; 'web2.KB1002' = 1 }
            History     = @('Resuming -> Running: Resumed after the checkpoint on line {line:Suspend-Workflow} (iteration 2 of the foreach on line {line:foreach ($server in $Servers)}, iteration 1 of the foreach on line {line:foreach ($patch in $patches)}).')
        }
        @{
            Case       = 'do/until around a for with checkpoints: Suspend-SmaJob from outside takes effect at the next checkpoint'
            Runbook    = 'Sync-UserAccounts'
            Parameters = @{ LogPath = '{Markers}'; HoldFile = '{Work}/directory.lock' }
            Hold       = @{ Marker = 'holding-*'; Release = 'directory.lock' }
            Suspensions = @(@{ Details = 'Suspended at a checkpoint, as requested.' })
            Status     = 'Completed'
            Output     = @('synced 4: user01,user02,user03,user04')
            Markers    = @{ holding = 1; user01 = 1; user02 = 1; user03 = 1; user04 = 1 }
            History    = @('Resuming -> Running: Resumed after the checkpoint on line {line:Checkpoint-Workflow}.')
        }
        @{
            Case    = 'Parallel with Sequence branches: $Workflow:x++ and $Workflow:list += from a foreach in a branch'
            Runbook = 'Update-LoadBalancerPool'
            Log     = @{ LogVerbose = $true }
            Status  = 'Completed'
            Output  = @('pool web-pool has 2 new members', 'added 10.0.0.11 to web-pool', 'added 10.0.0.12 to web-pool', 'probe /healthz on web-pool configured')
            Verbose = @('draining the old members of web-pool')
        }
        @{
            Case       = 'foreach -parallel -ThrottleLimit: a nested function and an InlineScript with $Using: per item, $Workflow: results'
            Runbook    = 'Restart-WebFarm'
            Parameters = @{ Servers = @('WEB1', 'WEB2', 'WEB3') }
            Log        = @{ LogVerbose = $true }
            Status     = 'Completed'
            Output     = @('restarted 3, failed 0', 'WEB1:site-web1; WEB2:site-web2; WEB3:site-web3')
            Verbose    = @('restarted WEB1', 'restarted WEB2', 'restarted WEB3')
            Sorted     = @('Verbose')
        }
        @{
            Case    = 'InlineScript with $Using: returning objects: [pscustomobject]s and a hashtable, used live, kept by a checkpoint'
            Runbook = 'Get-VmReport'
            Status  = 'Completed'
            Output  = @('3 VMs, first is PSCustomObject', 'CL01/vm-app1: 8 GB', 'CL01/vm-db1: 16 GB', 'running 2, stopped 1 (Hashtable)', 'total memory 26 GB')
        }
        @{
            Case        = 'inline child runbooks three deep, a PSCredential from Get-AutomationPSCredential passed down, objects returned'
            Runbook     = 'Deploy-TenantDatabase'
            Imports     = @('Grant-DatabaseLogin', 'New-TenantDatabase', 'Deploy-TenantDatabase')
            Parameters  = @{ Tenant = 'Contoso'; LogPath = '{Markers}' }
            Credentials = @{ SqlAdmin = @('sqladmin', 'S3cret-Pa55!') }
            Log         = @{ LogVerbose = $true }
            Status      = 'Completed'
            Output      = @('database db_contoso on sql01', 'login sqladmin is db_owner (password of 12 characters, PSCredential)')
            Verbose     = @('Deploying the database of Contoso as sqladmin', 'Creating db_contoso as sqladmin')
            Markers     = @{ deploy = 1; grant = 1 }
        }
        @{
            Case        = 'three deep, the grandchild suspends the job: resumed, the parent''s calling statement runs again, not what came before it'
            Runbook     = 'Deploy-TenantDatabase'
            Imports     = @('Grant-DatabaseLogin', 'New-TenantDatabase', 'Deploy-TenantDatabase')
            Parameters  = @{ Tenant = 'Fabrikam'; LogPath = '{Markers}'; RequireApproval = $true }
            Credentials = @{ SqlAdmin = @('sqladmin', 'S3cret-Pa55!') }
            Variables   = @{ TenantApprovalGiven = $false }
            Log         = @{ LogVerbose = $true }
            Suspensions = @(@{ Details = 'Suspended by Suspend-Workflow in the runbook.'; SetVariables = @{ TenantApprovalGiven = $true } })
            Status      = 'Completed'
            Output      = @('database db_fabrikam on sql01', 'login sqladmin is db_owner (password of 12 characters, PSCredential)')
            Verbose     = @('Deploying the database of Fabrikam as sqladmin', 'Creating db_fabrikam as sqladmin', 'Creating db_fabrikam as sqladmin')
            Warning     = @('Granting db_owner on db_fabrikam waits for approval')
            Markers     = @{ deploy = 1; grant = 2 }
            History     = @('Resuming -> Running: Resumed at line {line:$database = New-TenantDatabase}, running that statement again (its checkpoint was taken inside a call).')
        }
        @{
            Case           = 'a runbook that restarts itself once: Start-SmaRunbook -Name $WorkflowCommandName, guarded by a variable asset'
            Runbook        = 'Invoke-NightlyMaintenance'
            Variables      = @{ NightlyMaintenanceRestarted = $false }
            Credentials    = @{ SmaServiceAccount = @('CONTOSO\sma-svc', 'Sma-Pa55') }
            Log            = @{ LogVerbose = $true }
            Status         = 'Completed'
            Output         = @('pass 1 of Invoke-NightlyMaintenance', 'restarted once')
            Verbose        = @('job {JobId} started pass 2 as job {RestartedJobId}')
            Restarted      = @{ Output = @('pass 2 of Invoke-NightlyMaintenance', 'already restarted: done') }
            VariablesAfter = @{ NightlyMaintenanceRestarted = $true }
        }
        @{
            Case        = '-PSPersist $true in a foreach and Suspend-Workflow in an if: the operator reopens the window and resumes'
            Runbook     = 'Set-ConfigurationBaseline'
            Parameters  = @{ LogPath = '{Markers}' }
            Variables   = @{ BaselineWindowOpen = $true }
            Suspensions = @(@{ Details = 'Suspended by Suspend-Workflow in the runbook.'; SetVariables = @{ BaselineWindowOpen = $true } })
            Status      = 'Completed'
            Output      = @('applied TLS12, SMB1Off, FirewallOn, AuditOn')
            Warning     = @('The change window is closed before FirewallOn; suspending until it opens')
            Markers     = @{ TLS12 = 1; SMB1Off = 1; FirewallOn = 1; AuditOn = 1 }
            History     = @('Resuming -> Running: Resumed after the checkpoint on line {line:Suspend-Workflow} (iteration 3 of the foreach on line {line:foreach ($setting in $Settings)}).')
            VariablesAfter = @{ BaselineWindowOpen = $true }
        }
        @{
            Case        = 'a terminating error in a nested function inside a foreach suspends at its line; fixed and resumed, nothing runs twice'
            Runbook     = 'Copy-BackupArchive'
            Parameters  = @{ SourcePath = '{Work}'; LogPath = '{Markers}' }
            Files       = @('mon.bak', 'wed.bak')
            Suspensions = @(@{
                    Details     = 'Suspended after a terminating error: Cannot find path ''*tue.bak'' because it does not exist. (line {line:$file = Get-Item}, char 17) Fix the cause, then Resume-SmaJob.'
                    Exception   = '*tue.bak*At line:{line:$file = Get-Item} char:17*'
                    CreateFiles = @('tue.bak')
                })
            Status      = 'Completed'
            Output      = @('copied mon.bak', 'copied tue.bak', 'copied wed.bak', 'all archives copied')
            Markers     = @{ mon = 1; tue = 1; wed = 1 }
            History     = @('Resuming -> Running: Resumed after the checkpoint on line {line:Checkpoint-Workflow} (iteration 1 of the foreach on line {line:foreach ($archive in $Archives)}).')
        }
        @{
            Case      = 'throw inside an InlineScript with $Using: ends the job Suspended at the throw''s line, with no Error record'
            Runbook   = 'Remove-StaleSnapshots'
            Status    = 'Suspended'
            Details   = 'Suspended after a terminating error: Snapshot snap-02-locked is locked by a backup job (line {line:if ($Using:snapshot}, char 61) Fix the cause, then Resume-SmaJob.'
            Exception = 'Snapshot snap-02-locked is locked by a backup job*At line:{line:if ($Using:snapshot} char:61*'
            Output    = @('removed snap-01 (28 days old)')
        }
        @{
            Case        = 'try/catch/finally: Suspend-Workflow inside catch resumes in catch; finally runs once'
            Runbook     = 'Invoke-DatabaseFailover'
            Parameters  = @{ LogPath = '{Markers}' }
            Suspensions = @(@{ Details = 'Suspended by Suspend-Workflow in the runbook.' })
            Status      = 'Completed'
            Output      = @('step precheck', 'step promote', 'step confirmed', 'step notify', 'sql02 is now primary')
            Warning     = @('Failover needed: Primary sql01 is not reachable')
            Markers     = @{ precheck = 1; promote = 1; confirmed = 1; notify = 1 }
            History     = @('Resuming -> Running: Resumed after the checkpoint on line {line:Suspend-Workflow}.')
        }
        @{
            Case        = 'switch clauses in a foreach: Checkpoint-Workflow in one, Suspend-Workflow in another, resumed inside the clause'
            Runbook     = 'Resolve-IncidentTickets'
            Parameters  = @{ LogPath = '{Markers}' }
            Suspensions = @(@{ Details = 'Suspended by Suspend-Workflow in the runbook.' })
            Status      = 'Completed'
            Output      = @('INC001 handled', 'INC002 handled', 'INC003 handled', 'resolved 2 automatically, escalated INC002')
            Warning     = @('INC002 is P1: paging the on-call engineer')
            Markers     = @{ 'auto.INC001' = 1; 'ack.INC002' = 1; 'auto.INC003' = 1 }
            History     = @('Resuming -> Running: Resumed after the checkpoint on line {line:Suspend-Workflow} (iteration 2 of the foreach on line {line:foreach ($ticket in $Tickets)}, element 1 of the switch on line {line:switch ($priority)}).')
        }
        @{
            Case    = 'together: a Sequence holding foreach and foreach -parallel inside Parallel, a nested workflow with InlineScript $Using:, $Workflow:, a checkpoint'
            Runbook = 'Invoke-StagedRollout'
            Status  = 'Completed'
            Output  = @('release notes for 2.4.1 published', '4 servers on 2.4.1', 'app1 runs 2.4.1', 'app2 runs 2.4.1', 'app3 runs 2.4.1', 'app4 runs 2.4.1')
        }
        @{
            Case        = 'foreach -parallel whose last statement persists, then Suspend-Workflow: resumed, $Workflow: values kept and nothing published twice'
            Runbook     = 'Publish-BuildArtifacts'
            Parameters  = @{ LogPath = '{Markers}' }
            Log         = @{ LogVerbose = $true }
            Suspensions = @(@{ Details = 'Suspended by Suspend-Workflow in the runbook.' })
            Status      = 'Completed'
            Output      = @('released: api.zip, docs.zip, web.zip, worker.zip')
            Verbose     = @('published 4 artifacts; waiting for the release manager')
            Markers     = @{ api = 1; web = 1; worker = 1; docs = 1 }
            History     = @('Resuming -> Running: Resumed after the checkpoint on line {line:Suspend-Workflow}.')
        }
        @{
            Case    = 'a file as SMA saved it: BOM, #requires, help, signature block; Sequence variables stay visible; $To and method calls'
            Runbook = 'Register-DnsRecords'
            Status  = 'Completed'
            Output  = @('A www.contoso.com -> 10.1.0.10', 'A mail.contoso.com -> 10.1.0.11', 'notified hostmaster@contoso.com')
        }
        @{
            Case    = 'Parallel branches of InlineScripts returning objects into $Workflow:, a Write-Error in a branch, the job completes'
            Runbook = 'Invoke-ParallelHealthCheck'
            Status  = 'Completed'
            Output  = @('certificate: UNHEALTHY - expires in 20 days', 'database: healthy - sql-billing answers', 'dns: healthy - billing.contoso.com resolves', '2 of 3 checks healthy')
            Errors  = @('The certificate of billing expires in 20 days*')
        }
        @{
            Case    = 'nested workflows calling each other and a function; a throw in one is caught by the workflow''s try/catch'
            Runbook = 'Start-ReleasePipeline'
            Status  = 'Completed'
            Output  = @('build  passed', 'test   passed', 'build  rolled back', 'test   rolled back', 'pipeline finished: 2 of 3 stages')
            Warning = @('stage deploy failed: smoke test returned 500')
        }
        @{
            Case        = 'Progress, Debug, Verbose, Information and Output records under the runbook''s logging settings'
            Runbook     = 'Export-AuditLog'
            Log         = @{ LogVerbose = $true; LogProgress = $true; LogDebug = $true }
            Status      = 'Completed'
            Output      = @('exported 300 entries in 3 batches')
            Progress    = @('Exporting the audit log: batch 1 of 3 (33%)', 'Exporting the audit log: batch 2 of 3 (67%)', 'Exporting the audit log: batch 3 of 3 (100%)')
            Debug       = @('batch 1: 100 entries', 'batch 2: 100 entries', 'batch 3: 100 entries')
            Verbose     = @('exported 300 entries')
            Information = @('audit log exported')
        }
        @{
            Case        = '$PSPersistPreference in a foreach inside a while; the job suspends itself with Suspend-SmaJob and resumes at the next VM'
            Runbook     = 'Stop-IdleVms'
            Parameters  = @{ LogPath = '{Markers}' }
            Suspensions = @(@{ Details = 'Suspended at a checkpoint, as requested.' })
            Status      = 'Completed'
            Output      = @('stopped vm1 on hv01', 'stopped vm2 on hv01', 'stopped vm3 on hv02', 'stopped vm4 on hv02', '4 VMs stopped')
            Markers     = @{ 'hv01.vm1' = 1; 'hv01.vm2' = 1; 'hv02.vm3' = 1; 'hv02.vm4' = 1 }
            History     = @('Resuming -> Running: Resumed after the checkpoint on line {line:New-Item -ItemType File} (iteration 2 of the foreach on line {line:foreach ($vm in}).')
        }
        @{
            Case        = 'credential and variable assets in the workflow and in foreach -parallel items, the credential in an InlineScript via $Using:'
            Runbook     = 'Get-CertificateExpiry'
            Credentials = @{ MonitoringAccount = @('CONTOSO\monitor', 'M0nitor!') }
            Variables   = @{ CertificateWarningDays = 30 }
            Status      = 'Completed'
            Output      = @('CN=web1.contoso.com expires in 12 days (read as CONTOSO\monitor)', 'CN=mail1.contoso.com expires in 25 days (read as CONTOSO\monitor)')
        }
    )

    # Runbooks refused with their line: at import (nothing stored), or at the start (no job created).
    Refused = @(
        @{
            Case    = 'script after the workflow'
            Files   = @('Invoke-LogCleanup')
            Stage   = 'Import'
            ErrorId = 'WorkflowScriptOutsideWorkflow'
            Category = 'ParserError'
            Message = "Runbook 'Invoke-LogCleanup' is Workflow source, but line {line:Invoke-LogCleanup -Path /tmp} ('Invoke-LogCleanup -Path /tmp -KeepDays 1 -Verbose') is script outside the workflows.*nothing was imported."
        }
        @{
            Case    = 'a nested workflow called with -PSComputerName'
            Files   = @('Set-RemoteRegistry')
            Stage   = 'Import'
            ErrorId = 'WorkflowUnsupportedShape'
            Category = 'NotImplemented'
            Message = "Runbook 'Set-RemoteRegistry': -PSComputerName on the call to 'Set-Value', a workflow of this runbook at line {line:Set-Value -Name 'AuditLevel'} cannot be translated*Nothing was imported."
        }
        @{
            Case    = 'a cycle of inline children'
            Files   = @('Sync-PrimarySite', 'Sync-SecondarySite')
            Stage   = 'Start'
            Runbook = 'Sync-PrimarySite'
            ErrorId = 'ChildRunbookCycle'
            Category = 'InvalidOperation'
            Message = "Runbook 'Sync-PrimarySite' calls itself through inline child runbooks: Sync-PrimarySite -> Sync-SecondarySite -> Sync-PrimarySite ('Sync-PrimarySite' calls 'Sync-SecondarySite' on line {line:Sync-SecondarySite -Depth}, 'Sync-SecondarySite' calls 'Sync-PrimarySite' on line {line:Sync-PrimarySite -Depth}).*No job was created."
        }
    )
}

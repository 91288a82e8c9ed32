<#
.SYNOPSIS
    Works through the incident queue: P2 and P3 tickets are resolved automatically with a checkpoint after each;
    a P1 ticket pages the on-call engineer and suspends the job until they acknowledge it.
.DESCRIPTION
    Corpus: a switch (with a script block condition) inside a foreach, Checkpoint-Workflow and Suspend-Workflow
    inside switch clauses, multiple assignment, workflow variables kept across the suspension.
#>
workflow Resolve-IncidentTickets
{
    param(
        [Parameter(Mandatory = $true)] [string] $LogPath,
        [string[]] $Tickets = @('INC001:P3', 'INC002:P1', 'INC003:P2')
    )

    function Write-Mark([string] $Name)
    {
        New-Item -ItemType File -Path (Join-Path $LogPath "$Name-$([guid]::NewGuid().ToString('n'))") | Out-Null
    }

    $resolved = 0
    $escalated = @()
    foreach ($ticket in $Tickets)
    {
        $id, $priority = $ticket -split ':'
        switch ($priority)
        {
            'P1'
            {
                Write-Warning "$id is P1: paging the on-call engineer"
                $escalated += $id
                Suspend-Workflow
                Write-Mark "ack.$id"
            }
            { $_ -in 'P2', 'P3' }
            {
                Write-Mark "auto.$id"
                $resolved++
                Checkpoint-Workflow
            }
        }
        "$id handled"
    }
    "resolved $resolved automatically, escalated $($escalated -join ',')"
}

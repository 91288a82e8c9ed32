<#
.SYNOPSIS
    Renders a bench run (out/bench/results.json) as the README's Performance table, with the machine and the date.
.DESCRIPTION
    Invoke-SmaBench calls it at the end of a run: the table always goes to results.md beside results.json; after a
    full run it also replaces the table between the bench-table markers in README.md (a -Quick run never does: its
    sizes are not the targets').
#>
param(
    [Parameter(Mandatory)] [string] $ResultsPath,
    # The README whose table a full run replaces; omitted: only results.md is written.
    [string] $ReadmePath
)
$ErrorActionPreference = 'Stop'
$run = Get-Content $ResultsPath -Raw | ConvertFrom-Json
$culture = [Globalization.CultureInfo]::InvariantCulture

function Format-Value($Value, [string] $Unit) {
    if ($null -eq $Value -or "$Value" -eq '') { return '—' }
    $text = if ($Value -is [double] -or $Value -is [decimal] -or $Value -is [int] -or $Value -is [long]) {
        ([double]$Value).ToString('#,0.###', $culture)
    } else { "$Value" }
    if ($Unit) { "$text $Unit" } else { $text }
}

# Markdown cells: a pipe would end the cell; comparison signs read better as symbols.
function Format-Cell([string] $Text) {
    $Text.Replace('|', '\|').Replace('<=', '≤').Replace('>=', '≥').Replace('->', '→')
}

$when = ([DateTime]::Parse($run.Timestamp, $culture, [Globalization.DateTimeStyles]::RoundtripKind)).ToUniversalTime().ToString('yyyy-MM-dd HH:mm', $culture)
$kind = if ($run.Quick) { 'Quick run (-Quick: smaller sizes than the targets name)' } else { 'Full run' }
$lines = [Collections.Generic.List[string]]::new()
$lines.Add("$kind of ``build.ps1 -Task Bench``, $when UTC, on $($run.Machine); ratio is ours ÷ anchor, or ours ÷ target where no peer does the thing (the anchor shows —).")
$lines.Add('')
$lines.Add('| benchmark | ours | anchor | ratio | target | met |')
$lines.Add('|---|---|---|---|---|---|')
foreach ($row in $run.Rows) {
    $met = if ($row.Pass) { 'yes' } else { '**no**' }
    $cells = @(
        (Format-Cell $row.Benchmark)
        (Format-Cell (Format-Value $row.Ours $row.Unit))
        (Format-Cell (Format-Value $row.Anchor $row.Unit))
        (Format-Cell (Format-Value $row.Ratio ''))
        (Format-Cell "$($row.Target)")
        $met
    )
    $lines.Add('| ' + ($cells -join ' | ') + ' |')
}
$table = $lines -join "`n"
Set-Content -Path (Join-Path (Split-Path $ResultsPath) 'results.md') -Value $table -Encoding utf8NoBOM

if ($ReadmePath -and -not $run.Quick) {
    $start = '<!-- bench-table:start (written by build.ps1 -Task Bench) -->'
    $end = '<!-- bench-table:end -->'
    $readme = Get-Content $ReadmePath -Raw
    $from = $readme.IndexOf($start); $to = $readme.IndexOf($end)
    if ($from -lt 0 -or $to -lt $from) { throw "README has no bench table markers ($start ... $end): the table is in results.md only." }
    $readme = $readme.Substring(0, $from + $start.Length) + "`n" + $table + "`n" + $readme.Substring($to)
    Set-Content -Path $ReadmePath -Value $readme -NoNewline -Encoding utf8NoBOM
    "README table updated: $ReadmePath"
}

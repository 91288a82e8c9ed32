<#
.SYNOPSIS
    Generates the module's Get-Help content into <ModuleFolder>/en-US: Sma.Cmdlets.dll-Help.xml (MAML, every exported
    cmdlet) and about_Sma.help.txt.
.DESCRIPTION
    Run by build.ps1 -Task Build in a child pwsh, never in the build's own process: it imports the built module to
    read PowerShell's own metadata of each cmdlet (Get-Command), so the module's DLLs must not stay loaded in the
    build. The text comes from one source beside the code (README.md in this folder): the C# XML doc comments of
    src/Sma.Cmdlets and one example file per cmdlet in Examples/. Every missing piece is reported as a warning
    (with -Strict, the script fails instead).
#>
param(
    [Parameter(Mandatory)] [string] $ModuleFolder,
    [Parameter(Mandatory)] [string] $XmlDocPath,
    # Where to write the problems found, one a line (build.ps1 reports them again when it reuses this output).
    [string] $ProblemsPath,
    [switch] $Strict
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. $PSScriptRoot/HelpSources.ps1
. $PSScriptRoot/HelpModel.ps1
. $PSScriptRoot/MamlWriter.ps1

$ModuleFolder = (Resolve-Path -LiteralPath $ModuleFolder).Path
$module = Import-Module (Join-Path $ModuleFolder 'Sma.psd1') -PassThru
$cmdlets = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
$typeToCmdlet = @{}
foreach ($c in $cmdlets) { $typeToCmdlet["T:$($c.ImplementingType.FullName)"] = $c.Name }
$nameOfType = { param($id) if ($typeToCmdlet.ContainsKey($id)) { $typeToCmdlet[$id] } else { ($id -replace '^[A-Z]:', '' -split '\.')[-1] } }.GetNewClosure()

$docs = Read-XmlDocumentation $XmlDocPath
$examplesFolder = Join-Path $PSScriptRoot 'Examples'
$aboutSource = Join-Path $PSScriptRoot 'about_Sma.help.txt'
$documented = $cmdlets
$models = foreach ($c in $documented) {
    Get-CmdletHelpModel -Command $c -Docs $docs -ExampleFile (Join-Path $examplesFolder "$($c.Name).md") -NameOfType $nameOfType
}

$problems = [System.Collections.Generic.List[string]]::new()
foreach ($m in $models) { $problems.AddRange([string[]]$m.Problems) }
# A link by name must lead somewhere Get-Help can go: a command of this module or of PowerShell, or about_Sma.
foreach ($m in $models) {
    foreach ($l in $m.Links | Where-Object { -not $_.Uri }) {
        if ($l.Text -ne 'about_Sma' -and -not (Get-Command $l.Text -ErrorAction Ignore)) {
            $problems.Add("$($m.Name): the related link '$($l.Text)' is neither a command nor about_Sma.")
        }
    }
}
foreach ($file in Get-ChildItem $examplesFolder -Filter *.md) {
    if ($file.BaseName -notin $documented.Name) { $problems.Add("Examples/$($file.Name): no exported cmdlet is called $($file.BaseName).") }
}
if (-not (Test-Path $aboutSource)) { $problems.Add("about_Sma.help.txt is missing from $PSScriptRoot.") }

$target = New-Item -ItemType Directory -Path (Join-Path $ModuleFolder 'en-US') -Force
Write-MamlHelp -Models @($models) -Path (Join-Path $target 'Sma.Cmdlets.dll-Help.xml')
if (Test-Path $aboutSource) { Copy-Item $aboutSource -Destination $target }

foreach ($p in $problems) { Write-Warning "Help: $p" }
if ($ProblemsPath) { Set-Content -Path $ProblemsPath -Value @($problems) }
if ($problems.Count -and $Strict) { throw "Help is incomplete: $($problems.Count) problem(s) above." }
Write-Host "Help: $(@($models).Count) cmdlet(s), $(@($models | ForEach-Object { $_.Examples.Count } | Measure-Object -Sum).Sum) example(s), $($problems.Count) problem(s) -> $target"

# Writes help models (HelpModel.ps1) as PowerShell's MAML command help: <helpItems schema="maml"> with one
# command:command per cmdlet (details, description, syntax, parameters, inputTypes, returnValues, examples,
# relatedLinks). Dot-sourced by Build-SmaHelp.ps1.

$script:MamlNs = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

function Write-MamlHelp {
    param([Parameter(Mandatory)] [object[]] $Models, [Parameter(Mandatory)] [string] $Path)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', $MamlNs.msh)
        $w.WriteAttributeString('schema', 'maml')
        foreach ($model in $Models) { Write-MamlCommand $w $model }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
}

function Write-MamlCommand {
    param([System.Xml.XmlWriter] $w, $m)
    $w.WriteStartElement('command', 'command', $MamlNs.command)
    foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
        $w.WriteAttributeString('xmlns', $prefix, $null, $MamlNs[$prefix])
    }

    $w.WriteStartElement('command', 'details', $MamlNs.command)
    $w.WriteElementString('command', 'name', $MamlNs.command, $m.Name)
    $w.WriteElementString('command', 'verb', $MamlNs.command, $m.Verb)
    $w.WriteElementString('command', 'noun', $MamlNs.command, $m.Noun)
    Write-MamlParas $w 'maml' 'description' @($m.Synopsis)
    $w.WriteEndElement()

    Write-MamlParas $w 'maml' 'description' $m.Description

    $w.WriteStartElement('command', 'syntax', $MamlNs.command)
    foreach ($item in $m.Syntax) {
        $w.WriteStartElement('command', 'syntaxItem', $MamlNs.command)
        $w.WriteElementString('maml', 'name', $MamlNs.maml, $m.Name)
        foreach ($p in $item.Parameters) {
            Write-MamlParameter $w $p.Parameter ("$($p.Required)".ToLowerInvariant()) $p.Position $p.PipelineInput -InSyntax
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $MamlNs.command)
    foreach ($p in $m.Parameters) { Write-MamlParameter $w $p $p.Required $p.Position $p.PipelineInput }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'inputTypes', $MamlNs.command)
    foreach ($i in $m.Inputs) { Write-MamlTypedItem $w 'inputType' $i }
    $w.WriteEndElement()
    $w.WriteStartElement('command', 'returnValues', $MamlNs.command)
    foreach ($o in $m.Outputs) { Write-MamlTypedItem $w 'returnValue' $o }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $MamlNs.command)
    $n = 0
    foreach ($e in $m.Examples) {
        $n++
        $w.WriteStartElement('command', 'example', $MamlNs.command)
        $w.WriteElementString('maml', 'title', $MamlNs.maml, "--------- Example ${n}: $($e.Title) ---------")
        $w.WriteElementString('dev', 'code', $MamlNs.dev, $e.Code)
        # The empty last paragraph keeps a blank line between this example and the next one's title.
        Write-MamlParas $w 'dev' 'remarks' (@($e.Remarks) + '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('maml', 'relatedLinks', $MamlNs.maml)
    foreach ($l in $m.Links) {
        $w.WriteStartElement('maml', 'navigationLink', $MamlNs.maml)
        $w.WriteElementString('maml', 'linkText', $MamlNs.maml, $l.Text)
        $w.WriteElementString('maml', 'uri', $MamlNs.maml, $l.Uri)
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()
}

# <prefix:name> with one <maml:para> per paragraph.
function Write-MamlParas {
    param([System.Xml.XmlWriter] $w, [string] $Prefix, [string] $Name, [string[]] $Paragraphs)
    $w.WriteStartElement($Prefix, $Name, $MamlNs[$Prefix])
    foreach ($para in @($Paragraphs)) {
        $w.WriteElementString('maml', 'para', $MamlNs.maml, $para)
    }
    $w.WriteEndElement()
}

function Write-MamlParameter {
    param([System.Xml.XmlWriter] $w, $p, [string] $Required, [string] $Position, [string] $PipelineInput, [switch] $InSyntax)
    $w.WriteStartElement('command', 'parameter', $MamlNs.command)
    $w.WriteAttributeString('required', $Required)
    $w.WriteAttributeString('variableLength', "$($p.VariableLength)".ToLowerInvariant())
    $w.WriteAttributeString('globbing', "$($p.Globbing)".ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $PipelineInput)
    $w.WriteAttributeString('position', $Position)
    $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $MamlNs.maml, $p.Name)
    $description = @($p.Description)
    if ($p.ValidValues.Count) { $description += "Accepted values: $($p.ValidValues -join ', ')." }
    Write-MamlParas $w 'maml' 'description' $description
    if ($InSyntax -and $p.ValidValues.Count) {
        $w.WriteStartElement('command', 'parameterValueGroup', $MamlNs.command)
        foreach ($v in $p.ValidValues) {
            $w.WriteStartElement('command', 'parameterValue', $MamlNs.command)
            $w.WriteAttributeString('required', 'false')
            $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($v)
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not ($InSyntax -and $p.IsSwitch)) {
        $w.WriteStartElement('command', 'parameterValue', $MamlNs.command)
        $w.WriteAttributeString('required', $(if ($p.IsSwitch) { 'false' } else { 'true' }))
        $w.WriteAttributeString('variableLength', "$($p.VariableLength)".ToLowerInvariant())
        $w.WriteString($p.Type.Short)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $MamlNs.dev)
    $w.WriteElementString('maml', 'name', $MamlNs.maml, $p.Type.Full)
    $w.WriteElementString('maml', 'uri', $MamlNs.maml, '')
    $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $MamlNs.dev, $p.Default)
    $w.WriteEndElement()
}

function Write-MamlTypedItem {
    param([System.Xml.XmlWriter] $w, [string] $Element, $Item)
    $w.WriteStartElement('command', $Element, $MamlNs.command)
    $w.WriteStartElement('dev', 'type', $MamlNs.dev)
    $w.WriteElementString('maml', 'name', $MamlNs.maml, $Item.Type)
    $w.WriteElementString('maml', 'uri', $MamlNs.maml, '')
    $w.WriteEndElement()
    Write-MamlParas $w 'maml' 'description' $Item.Description
    $w.WriteEndElement()
}

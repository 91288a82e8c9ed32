# Reads the two sources of the cmdlets' help (README.md beside this file): the C# XML documentation file and the
# example files. Dot-sourced by Build-SmaHelp.ps1 and by the tests of the example format.

# The compiler's documentation file as a lookup: member id ('T:Ns.Type', 'P:Ns.Type.Prop') -> <member> element.
function Read-XmlDocumentation {
    param([Parameter(Mandatory)] [string] $Path)
    [xml] $doc = Get-Content -Raw -LiteralPath $Path
    $members = @{}
    foreach ($member in $doc.doc.members.member) { $members[$member.name] = $member }
    return $members
}

# The text of a doc-comment element as paragraphs: one per <para> (text outside <para> is a paragraph too), with
# the line breaks and indentation of the comment collapsed. $NameOfType maps a cref type id ('T:...') to the name
# a user knows (the cmdlet name for a cmdlet class).
function ConvertFrom-DocElement {
    param($Element, [scriptblock] $NameOfType = { param($id) ($id -replace '^[A-Z]:', '' -split '\.')[-1] })
    if ($null -eq $Element) { return }
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Text.StringBuilder]::new()
    $flush = {
        $text = ($current.ToString() -replace '\s+', ' ').Trim()
        if ($text) { $paragraphs.Add($text) }
        [void]$current.Clear()
    }
    $inline = $null
    $inline = {
        param($node)
        foreach ($child in $node.ChildNodes) {
            switch ($child.NodeType) {
                'Text' { [void]$current.Append($child.Value) }
                'Whitespace' { [void]$current.Append(' ') }
                'SignificantWhitespace' { [void]$current.Append(' ') }
                'Element' {
                    switch ($child.LocalName) {
                        'para' { & $flush; & $inline $child; & $flush }
                        'list' {
                            & $flush
                            foreach ($item in $child.SelectNodes('*[local-name()="item"]')) {
                                [void]$current.Append('- '); & $inline $item; & $flush
                            }
                        }
                        'see' {
                            if ($child.HasAttribute('langword')) { [void]$current.Append($(if ($child.langword -eq 'null') { '$null' } else { "`$$($child.langword)" })) }
                            elseif ($child.HasAttribute('href')) {
                                $text = $child.InnerText.Trim()
                                [void]$current.Append($(if ($text) { "$text ($($child.href))" } else { $child.href }))
                            }
                            elseif ($child.InnerText.Trim()) { [void]$current.Append($child.InnerText.Trim()) }
                            else { [void]$current.Append((& $NameOfType $child.cref)) }
                        }
                        'paramref' { [void]$current.Append("-$($child.name)") }
                        'typeparamref' { [void]$current.Append($child.name) }
                        default { & $inline $child } # <c>, <code>, <b>, <i>, <description>, ...: their text
                    }
                }
            }
        }
    }
    & $inline $Element
    & $flush
    return $paragraphs.ToArray()
}

# One example file (Help/Examples/<Verb-Noun>.md): examples and related links, plus the problems found.
# Format: per example a line '## <title>', a fenced block opened with ```powershell holding the code, then the
# description as plain paragraphs up to the next '## ' or the end. An optional last section '## Related' holds one
# link per line ('- Get-SmaJob' or '- https://...').
function Read-ExampleFile {
    param([Parameter(Mandatory)] [string] $Path)
    $examples = [System.Collections.Generic.List[object]]::new()
    $related = [System.Collections.Generic.List[string]]::new()
    $problems = [System.Collections.Generic.List[string]]::new()
    $file = Split-Path $Path -Leaf
    $lines = @((Get-Content -Raw -LiteralPath $Path) -split '\r?\n')

    # Split into sections at '## ' lines.
    $sections = [System.Collections.Generic.List[object]]::new()
    $section = $null
    $preamble = $false
    for ($i = 0; $i -lt $lines.Count; $i++) {
        if ($lines[$i] -match '^##\s+(.*?)\s*$') {
            $section = [pscustomobject]@{ Title = $Matches[1]; Line = $i + 1; Body = [System.Collections.Generic.List[string]]::new() }
            $sections.Add($section)
        }
        elseif ($section) { $section.Body.Add($lines[$i]) }
        elseif ($lines[$i].Trim() -and -not $preamble) {
            $problems.Add("${file}:$($i + 1): text before the first '## ' heading; every example starts with '## <title>'.")
            $preamble = $true
        }
    }

    foreach ($section in $sections) {
        if ($section.Title -eq 'Related') {
            if ($section -ne $sections[-1]) { $problems.Add("${file}:$($section.Line): '## Related' must be the last section.") }
            foreach ($line in $section.Body) {
                if (-not $line.Trim()) { continue }
                if ($line -match '^\s*[-*]\s+(\S.*?)\s*$') { $related.Add($Matches[1]) }
                else { $problems.Add("${file}:$($section.Line): in '## Related', '$line' is not a '- <link>' line.") }
            }
            continue
        }
        if (-not $section.Title) { $problems.Add("${file}:$($section.Line): an example without a title."); continue }
        $body = $section.Body
        $open = -1
        for ($j = 0; $j -lt $body.Count; $j++) {
            if ($body[$j].Trim()) { $open = $j; break }
        }
        if ($open -lt 0 -or $body[$open] -notmatch '^```powershell\s*$') {
            $problems.Add("${file}:$($section.Line): example '$($section.Title)' must start with a fenced code block opened by '``````powershell'.")
            continue
        }
        $close = -1
        for ($j = $open + 1; $j -lt $body.Count; $j++) {
            if ($body[$j] -match '^```\s*$') { $close = $j; break }
        }
        if ($close -lt 0) { $problems.Add("${file}:$($section.Line): example '$($section.Title)': the code block is never closed with '``````'."); continue }
        $code = if ($close -gt $open + 1) { ($body[($open + 1)..($close - 1)] -join "`n").TrimEnd() } else { '' }
        $remarks = @(ConvertFrom-MarkdownParagraphs @($body | Select-Object -Skip ($close + 1)))
        if (-not $code.Trim()) { $problems.Add("${file}:$($section.Line): example '$($section.Title)' has no code.") }
        if ($remarks.Count -eq 0) { $problems.Add("${file}:$($section.Line): example '$($section.Title)' has no description after its code.") }
        $examples.Add([pscustomobject]@{ Title = $section.Title; Code = $code; Remarks = $remarks })
    }
    return [pscustomobject]@{ Examples = $examples.ToArray(); Related = $related.ToArray(); Problems = $problems.ToArray() }
}

# Plain paragraphs separated by blank lines. Lines of a paragraph are joined with spaces, except in a list
# (every line starts with '- ' or '* ') or an indented block, which keep their lines.
function ConvertFrom-MarkdownParagraphs {
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $block = [System.Collections.Generic.List[string]]::new()
    foreach ($line in @($Lines) + '') {
        if ($line.Trim()) { $block.Add($line.TrimEnd()); continue }
        if ($block.Count -eq 0) { continue }
        $keepLines = @($block | Where-Object { $_ -notmatch '^(\s*[-*]\s|\s{2,}\S)' }).Count -eq 0
        $paragraphs.Add($(if ($keepLines) { $block -join "`n" } else { ($block | ForEach-Object Trim) -join ' ' }))
        $block.Clear()
    }
    return $paragraphs.ToArray()
}

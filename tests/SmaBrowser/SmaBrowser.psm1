<#
.SYNOPSIS
    Headless Chromium driven through chromedriver's WebDriver HTTP API (test-only, never part of the Sma module): the
    portal's browser tests and the bench's page timings share it.
.DESCRIPTION
    Start-SmaBrowser starts chromedriver on a free loopback port and opens one headless Chromium session with its own
    profile folder; the other functions talk to that session; Stop-SmaBrowser closes it and ends the processes it
    started (chromedriver by its id, Chromium by its profile folder). One session per importing scope.
#>
Set-StrictMode -Version 3.0

$script:driverUrl = $null
$script:session = $null
$script:driver = $null
$script:profileDir = $null

# Chromium and chromedriver on PATH, or $null when either is missing.
function Find-SmaBrowser {
    $chromium = Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    $chromedriver = Get-Command chromedriver -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if (-not $chromium -or -not $chromedriver) { return $null }
    [pscustomobject]@{ Chromium = $chromium.Source; ChromeDriver = $chromedriver.Source }
}

function Start-SmaBrowser {
    param(
        # Where the profile and chromedriver's log go.
        [Parameter(Mandatory)] [string] $Folder,
        [int] $TimeoutSeconds = 30
    )
    $found = Find-SmaBrowser
    if (-not $found) {
        throw 'Chromium and chromedriver are needed and are not installed. On Debian/Ubuntu: ' +
            'apt-get install -y chromium chromium-driver (.ci/run installs them).'
    }
    New-Item -ItemType Directory -Path $Folder -Force | Out-Null
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $script:driverUrl = "http://127.0.0.1:$port"
    $driverLog = Join-Path $Folder 'chromedriver.log'
    $script:driver = Start-Process -FilePath $found.ChromeDriver -ArgumentList "--port=$port" -PassThru `
        -RedirectStandardOutput $driverLog -RedirectStandardError "$driverLog.err"
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not $(try { (Invoke-RestMethod -Uri "$script:driverUrl/status" -NoProxy -TimeoutSec 2).value.ready } catch { $false })) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "chromedriver did not listen on port $port within $TimeoutSeconds s (see $driverLog)." }
        Start-Sleep -Milliseconds 100
    }
    $script:profileDir = Join-Path $Folder 'chromium-profile'
    # acceptInsecureCerts: the server's self-signed certificate, as a user trusts it once.
    $capabilities = @{ capabilities = @{ alwaysMatch = @{ browserName = 'chrome'; acceptInsecureCerts = $true; 'goog:chromeOptions' = @{
                    binary = $found.Chromium
                    args = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                        '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage', "--user-data-dir=$script:profileDir",
                        '--window-size=1280,1000')
                } } } }
    $script:session = (Invoke-WebDriver '/session' $capabilities).sessionId
}

function Stop-SmaBrowser {
    if ($script:session) {
        try { Invoke-WebDriver "/session/$script:session" $null -Method Delete | Out-Null } catch { Write-Warning "Closing the browser: $_" }
        $script:session = $null
    }
    if ($script:driver -and -not $script:driver.HasExited) { Stop-Process -Id $script:driver.Id -Force -ErrorAction Ignore }
    if ($script:profileDir) {
        $dir = $script:profileDir
        Get-Process chromium -ErrorAction Ignore | Where-Object { $_.CommandLine -like "*--user-data-dir=$dir*" } |
            ForEach-Object { Stop-Process -Id $_.Id -Force -ErrorAction Ignore }
    }
}

# One WebDriver command of this session's driver (Path: /session/... ); its value.
function Invoke-WebDriver([string] $Path, $Body, [string] $Method = 'Post') {
    $request = @{ Method = $Method; Uri = "$script:driverUrl$Path"; NoProxy = $true; TimeoutSec = 60 }
    if ($Method -eq 'Post') {
        $request.Body = [Text.Encoding]::UTF8.GetBytes(($Body | ConvertTo-Json -Depth 10 -Compress))
        $request.ContentType = 'application/json; charset=utf-8'
    }
    try { (Invoke-RestMethod @request).value }
    catch { throw "WebDriver $Method $Path failed: $($_.ErrorDetails.Message ?? $_.Exception.Message)" }
}

# Runs a script in the page (a function body: 'return ...;' for a value).
function Invoke-Page([string] $Script, [object[]] $Arguments = @()) {
    Invoke-WebDriver "/session/$script:session/execute/sync" @{ script = $Script; args = $Arguments }
}

# The one element matching a CSS selector (its WebDriver reference); throws when none or several match.
function Find-Element([string] $Css) {
    $found = @(Invoke-WebDriver "/session/$script:session/elements" @{ using = 'css selector'; value = $Css }) |
        ForEach-Object { $_.'element-6066-11e4-a52e-4f735466cecf' }
    if (@($found).Count -ne 1) { throw "Expected one element matching $Css, found $(@($found).Count)." }
    $found
}

function Invoke-Click([string] $Css) { Invoke-WebDriver "/session/$script:session/element/$(Find-Element $Css)/click" @{} | Out-Null }

function Set-Field([string] $Css, [string] $Text) {
    $element = Find-Element $Css
    Invoke-WebDriver "/session/$script:session/element/$element/clear" @{} | Out-Null
    Invoke-WebDriver "/session/$script:session/element/$element/value" @{ text = $Text } | Out-Null
}

# Navigates (WebDriver waits for the page's load event).
function Open([string] $Url) { Invoke-WebDriver "/session/$script:session/url" @{ url = $Url } | Out-Null }

function Get-Texts([string] $Css) { @(Invoke-Page "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);" @($Css)) }

# A PNG of the viewport.
function Get-Screenshot { [Convert]::FromBase64String((Invoke-WebDriver "/session/$script:session/screenshot" $null -Method Get)) }

# Runs a script at the start of every document this session loads from now on (Chromium's DevTools protocol through
# chromedriver), before the page's own: what it records sees the page from its first node.
function Add-PageStartScript([string] $Source) {
    Invoke-WebDriver "/session/$script:session/goog/cdp/execute" @{ cmd = 'Page.addScriptToEvaluateOnNewDocument'; params = @{ source = $Source } } | Out-Null
}

Export-ModuleMember -Function Find-SmaBrowser, Start-SmaBrowser, Stop-SmaBrowser, Invoke-WebDriver, Invoke-Page, Find-Element,
    Invoke-Click, Set-Field, Open, Get-Texts, Get-Screenshot, Add-PageStartScript

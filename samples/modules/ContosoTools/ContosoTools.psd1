@{
    RootModule        = 'ContosoTools.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '0d0e4b64-2b8a-4f57-9b8e-5f3f1f6a2c11'
    Author            = 'Sma.Cmdlets contributors'
    Description       = 'A sample integration module: one command and a connection type (ContosoApi).'
    PowerShellVersion = '7.4'
    FunctionsToExport = @('Send-ContosoReport')
}

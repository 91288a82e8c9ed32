using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.WebService;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets the web services running for a store on this machine.</summary>
/// <remarks>
/// Lists the servers Start-SmaWebService (or a service manager) started for the store that are still running: process
/// id, URL, port, certificate thumbprint, worker and start time. Servers whose process has ended are dropped from the
/// list.
/// </remarks>
/// <returns>The running web services (WebServiceInfo).</returns>
/// <seealso cref="StartSmaWebServiceCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaWebService")]
[OutputType(typeof(WebServiceInfo))]
public sealed class GetSmaWebServiceCommand : WebServiceCmdlet
{
    protected override void Process() =>
        WriteObject(WebServiceRegistry.List(Store).Where(s => !PortGiven || s.Port == Port), enumerateCollection: true);
}

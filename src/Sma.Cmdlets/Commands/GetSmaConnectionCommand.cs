using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Gets connection assets, by name or by connection type.</summary>
/// <remarks>
/// Lists the store's connections with their type and field values; encrypted fields show ********. -Name takes names
/// or wildcard patterns; -ConnectionTypeName lists the connections of the given types. A name that matches no
/// connection is a non-terminating ConnectionNotFound error. Through a remote -WebServiceEndpoint each field's value
/// comes back as its declared type (a System.Object field as text).
/// </remarks>
/// <returns>
/// Connection assets: Name, ConnectionTypeName, Description, times and FieldValues, where a field marked encrypted
/// shows no value.
/// </returns>
/// <seealso cref="NewSmaConnectionCommand"/>
/// <seealso cref="SetSmaConnectionFieldValueCommand"/>
/// <seealso cref="GetSmaConnectionTypeCommand"/>
[Cmdlet(VerbsCommon.Get, "SmaConnection", DefaultParameterSetName = ByName)]
[OutputType(typeof(SmaConnection))]
public sealed class GetSmaConnectionCommand : AssetCmdlet
{
    private const string ByName = "ByConnectionName";
    private const string ByType = "ByConnectionTypeName";

    #region Parameters

    /// <summary>Connection names; wildcards are allowed. Omitted: every connection.</summary>
    [Parameter(Position = 0, ParameterSetName = ByName, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Connection types; the connections of these types are listed (wildcards are allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByType, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] ConnectionTypeName { get; set; } = Array.Empty<string>();

    #endregion

    protected override bool WorksRemotely => true;

    protected override void Process()
    {
        var remote = Remote;
        Func<IReadOnlyList<SmaConnection>> list = remote is null ? Assets.ListConnections : remote.ListConnections;
        if (ParameterSetName == ByName)
        {
            WriteByName(Name, list, c => c.Name, remote is null ? Assets.GetConnection : remote.GetConnection);
            return;
        }
        var patterns = ConnectionTypeName.Select(t => new WildcardPattern(t, WildcardOptions.IgnoreCase)).ToList();
        WriteObject(list().Where(c => patterns.Any(p => p.IsMatch(c.ConnectionTypeName))), enumerateCollection: true);
    }
}

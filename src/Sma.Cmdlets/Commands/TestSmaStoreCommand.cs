using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Checks the store: SQLite's integrity check, the schema version, and how many runbooks, jobs and records it holds.</summary>
[Cmdlet(VerbsDiagnostic.Test, "SmaStore")]
[OutputType(typeof(StoreReport))]
public sealed class TestSmaStoreCommand : SmaCmdlet
{
    protected override void Process() => WriteObject(Runtime.Store.Inspect());
}

using System.Management.Automation;
using Sma.Cmdlets.Infrastructure;
using Sma.Engine.Model;

namespace Sma.Cmdlets.Commands;

/// <summary>Checks the store's integrity and counts what it holds.</summary>
/// <remarks>
/// <para>
/// Test-SmaStore runs SQLite's integrity check on the store and reports its path, schema version, store id and size,
/// and how many runbooks, jobs, stream records, checkpoints and workers it holds. IsHealthy is $true when the integrity
/// check says 'ok'.
/// </para>
/// <para>
/// A file that is not an Sma store, or whose schema is newer than this module knows, is an error (StoreNotRecognized,
/// StoreSchemaTooNew) and is never modified.
/// </para>
/// </remarks>
/// <returns>
/// A report: Path, SchemaVersion, StoreId, Integrity, IsHealthy, Runbooks, Jobs, StreamRecords, Checkpoints, Workers
/// and SizeBytes.
/// </returns>
/// <seealso cref="GetSmaAdminConfigurationCommand"/>
[Cmdlet(VerbsDiagnostic.Test, "SmaStore")]
[OutputType(typeof(StoreReport))]
public sealed class TestSmaStoreCommand : SmaCmdlet
{
    protected override (string ActsOn, string Instead)? LocalOnly =>
        ("a store it opens directly (a file or database, checked page by page)",
         "run Test-SmaStore on the server, with -StorePath naming the store its web service uses");

    protected override void Process() => WriteObject(Runtime.Store.Inspect());
}

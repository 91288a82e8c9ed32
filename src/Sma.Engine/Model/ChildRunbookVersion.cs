namespace Sma.Engine.Model;

/// <summary>
/// One inline child runbook a job uses (DESIGN §11): the runbook's name and the published version resolved when the
/// job was started. With the job's own RunbookVersionId, these make up the job's source snapshot.
/// </summary>
public sealed record ChildRunbookVersion(string RunbookName, Guid VersionId);

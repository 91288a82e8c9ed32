using Sma.Engine.Security;
using Sma.Engine.Store;

namespace Sma.Engine.Execution;

/// <summary>What a job runner needs from its worker; <paramref name="JobAtRest"/> is called once a job's last change is committed.</summary>
internal sealed record WorkerContext(
    string WorkerName,
    string Incarnation,
    IJobStore Store,
    StoreWriter Writer,
    JobSessionState Session,
    RunspaceSupply Runspaces,
    ValueCodec Codec,
    Action JobAtRest);

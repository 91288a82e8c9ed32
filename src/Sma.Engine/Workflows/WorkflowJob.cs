using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using Sma.Engine.Execution;

namespace Sma.Engine.Workflows;

/// <summary>What every runspace of one job shares: the job runspace and the runspaces of its parallel branches.</summary>
internal sealed class WorkflowJob
{
    public WorkflowJob(JobSessionState session, Guid jobId, string runbookName, JobContext jobContext, JobHost host,
        Action<object> recordLate, Action<Runspace> attach)
    {
        RecordLate = recordLate;
        Attach = attach;
        Session = session;
        JobId = jobId;
        RunbookName = runbookName;
        JobContext = jobContext;
        PromptRefused = error => host.PromptRefused?.Invoke(error);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JobSessionState, HashSet<string>> Baselines = new();
    private ParallelLedger? _ledger;

    public JobSessionState Session { get; }
    public Guid JobId { get; }
    public string RunbookName { get; }

    /// <summary>$__SmaJob of the job runspace; branches checkpoint through it too.</summary>
    public JobContext JobContext { get; }

    /// <summary>Records a branch's record directly, when the job's pipeline can no longer write it (the job stopped).</summary>
    public Action<object> RecordLate { get; }

    /// <summary>Gives a branch runspace what the job's has from the job (the asset activities' link, $__SmaAssets).</summary>
    public Action<Runspace> Attach { get; }

    /// <summary>A branch that prompts ends the job as the job runspace would.</summary>
    public Action<HostException> PromptRefused { get; }

    /// <summary>Functions every job runspace has (Checkpoint-Workflow, prompt, ...): not copied into branches.</summary>
    public IReadOnlySet<string> BaselineFunctions => Baselines.GetValue(Session, s => new HashSet<string>(
        s.State.Commands.OfType<SessionStateFunctionEntry>().Select(f => f.Name), StringComparer.OrdinalIgnoreCase));

    private readonly object _startsGate = new();
    private readonly Dictionary<string, int> _starts = new(StringComparer.Ordinal);
    private object? _startsMark;

    /// <summary>
    /// How often the block at <paramref name="place"/> has started (this time included) since the job's statement that
    /// runs it began: 1 for a block of the statement itself, more for one in a loop of a function the statement calls.
    /// A statement run again on resume starts its blocks in the same order, so the count tells them apart the same way.
    /// </summary>
    public int Starts(string place)
    {
        lock (_startsGate)
        {
            var mark = JobContext.CurrentMark;
            if (!ReferenceEquals(mark, _startsMark))
            {
                _starts.Clear();
                _startsMark = mark;
            }
            var count = _starts.GetValueOrDefault(place) + 1;
            _starts[place] = count;
            return count;
        }
    }

    /// <summary>
    /// Made when the job first runs a parallel block (most jobs never do) — on a resumed run after the checkpoint's
    /// resume state was restored, which the run does before its first statement.
    /// </summary>
    public ParallelLedger Ledger => LazyInitializer.EnsureInitialized(ref _ledger, () => new ParallelLedger(JobContext));

    /// <summary>
    /// The variables a workflow runbook expects in every runspace of its job: $WorkflowCommandName (the runbook's
    /// name), $PSPrivateMetadata.JobId (the job's Guid; .Guid works as in SMA), and $__SmaWorkflow. Constant, so
    /// checkpoints leave them out and a resume finds them set.
    /// </summary>
    public void Install(SessionStateProxy state, WorkflowRuntime runtime)
    {
        state.PSVariable.Set(new PSVariable(WorkflowRuntime.Variable, runtime, ScopedItemOptions.Constant));
        state.PSVariable.Set(new PSVariable("WorkflowCommandName", RunbookName, ScopedItemOptions.Constant));
        state.PSVariable.Set(new PSVariable("PSPrivateMetadata", new Hashtable(StringComparer.OrdinalIgnoreCase) { ["JobId"] = JobId },
            ScopedItemOptions.Constant));
    }
}

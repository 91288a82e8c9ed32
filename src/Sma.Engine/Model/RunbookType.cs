namespace Sma.Engine.Model;

/// <summary>How a terminating error ends a job: a Script fails, a Workflow suspends (resumable).</summary>
public enum RunbookType
{
    Script,
    Workflow,
}

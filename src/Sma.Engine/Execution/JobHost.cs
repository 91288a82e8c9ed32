using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace Sma.Engine.Execution;

/// <summary>
/// The host a job's runspace runs under. Jobs are non-interactive: every prompt (Read-Host, Get-Credential,
/// -Confirm, a missing mandatory parameter) fails fast with a clear error instead of hanging, and <c>exit N</c>
/// is captured as the job's exit code.
/// </summary>
internal sealed class JobHost : PSHost
{
    private readonly JobHostUserInterface _ui;

    public JobHost() => _ui = new JobHostUserInterface(error => PromptRefused?.Invoke(error));

    /// <summary>Called with the error when the runbook prompts, so the runner can end the job.</summary>
    public Action<HostException>? PromptRefused { get; set; }

    public override string Name => "SmaJobHost";
    public override Version Version { get; } = typeof(JobHost).Assembly.GetName().Version ?? new Version(0, 1);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
    public override PSHostUserInterface UI => _ui;

    /// <summary>The code the runbook passed to <c>exit</c>, if it called it.</summary>
    public int? ExitCode { get; private set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public override void EnterNestedPrompt() => throw _ui.Refuse("a nested prompt");
    public override void ExitNestedPrompt() => throw _ui.Refuse("a nested prompt");
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
}

internal sealed class JobHostUserInterface : PSHostUserInterface
{
    private readonly JobHostRawUserInterface _raw;
    private readonly Action<HostException> _promptRefused;

    public JobHostUserInterface(Action<HostException> promptRefused)
    {
        _promptRefused = promptRefused;
        _raw = new JobHostRawUserInterface(this);
    }

    public override PSHostRawUserInterface RawUI => _raw;

    /// <summary>
    /// Tells the runner why the job fails, then stops the pipeline where it stands: a PipelineStoppedException is
    /// not caught by the runbook's try/catch, so nothing after the prompt runs.
    /// </summary>
    internal PipelineStoppedException Refuse(string what)
    {
        _promptRefused(new HostException(
            $"The runbook asked for {what}, but jobs run without a user to answer, so the job was failed. Pass the " +
            "value as a runbook parameter (for credentials, a PSCredential parameter) instead of prompting.",
            null, "JobPromptNotSupported", ErrorCategory.NotImplemented));
        return new PipelineStoppedException();
    }

    public override string ReadLine() => throw Refuse("input (Read-Host)");
    public override System.Security.SecureString ReadLineAsSecureString() => throw Refuse("secure input (Read-Host -AsSecureString)");

    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
        throw Refuse($"input for {string.Join(", ", descriptions.Select(d => $"'{d.Name}'"))} (Read-Host, or a missing mandatory parameter)");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw Refuse("a credential (Get-Credential)");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw Refuse("a credential (Get-Credential)");

    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) =>
        throw Refuse($"a choice ({caption}: {message})");

    // Output reaches the job's streams through the pipeline, so the host itself shows nothing.
    public override void Write(string value) { }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
    public override void WriteLine(string value) { }
    public override void WriteErrorLine(string value) { }
    public override void WriteDebugLine(string message) { }
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override void WriteVerboseLine(string message) { }
    public override void WriteWarningLine(string message) { }
}

/// <summary>A fixed 120-column console, so formatting inside a job is stable.</summary>
internal sealed class JobHostRawUserInterface : PSHostRawUserInterface
{
    private readonly JobHostUserInterface _ui;

    public JobHostRawUserInterface(JobHostUserInterface ui) => _ui = ui;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get; set; } = new(120, 9999);
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; }
    public override Size MaxPhysicalWindowSize => new(120, 50);
    public override Size MaxWindowSize => new(120, 50);
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get; set; } = new(120, 50);
    public override string WindowTitle { get; set; } = "";
    public override bool KeyAvailable => false;

    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw _ui.Refuse("a key press");
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
}

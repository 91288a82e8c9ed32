using System.Management.Automation.Language;
using Sma.Engine.Children;
using Sma.Engine.Model;
using Xunit;

namespace Sma.Engine.Tests;

/// <summary>Inline child runbook resolution (DESIGN §11) against an in-memory catalog of runbooks and session commands.</summary>
public class ChildRunbookResolverTests
{
    /// <summary>Runbooks as name -> source (null: a draft only); session commands as names.</summary>
    private sealed class Catalog : IChildRunbookCatalog
    {
        private readonly Dictionary<string, (Runbook Runbook, string? Source)> _runbooks = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _session = new(StringComparer.OrdinalIgnoreCase) { "Write-Output", "Get-Date", "Checkpoint-Workflow" };

        public int Lookups { get; private set; }

        public Catalog With(string name, string? source)
        {
            var runbook = new Runbook
            {
                RunbookName = name,
                PublishedRunbookVersionID = source is null ? null : Guid.NewGuid(),
                DraftRunbookVersionID = source is null ? Guid.NewGuid() : null,
            };
            _runbooks[name] = (runbook, source);
            return this;
        }

        public Catalog WithSessionCommand(string name)
        {
            _session.Add(name);
            return this;
        }

        public IReadOnlyList<Runbook> FindRunbooks(IReadOnlyCollection<string> names)
        {
            Lookups++;
            return names.Where(_runbooks.ContainsKey).Select(n => _runbooks[n].Runbook).ToList();
        }

        public bool IsSessionCommand(string name) => _session.Contains(name);

        public IReadOnlyDictionary<string, int> CallsOf(string runbookName, Guid versionId)
        {
            var (runbook, source) = _runbooks[runbookName];
            Assert.Equal(runbook.PublishedRunbookVersionID, versionId);
            return Calls(source!);
        }

        public IReadOnlyList<string> Resolve(string name, string source) =>
            ChildRunbookResolver.Resolve(name, Calls(source), this).Select(c => c.RunbookName).ToList();

        public Guid VersionOf(string name) => _runbooks[name].Runbook.PublishedRunbookVersionID!.Value;
    }

    private static IReadOnlyDictionary<string, int> Calls(string source) => RunbookCalls.Of(Parser.ParseInput(source, out _, out _));

    [Fact]
    public void A_runbook_that_calls_no_runbook_resolves_to_nothing_without_a_lookup()
    {
        var catalog = new Catalog().With("Kid", "'kid'");
        Assert.Empty(catalog.Resolve("Top", "'hello'; 1 + 2"));
        Assert.Equal(0, catalog.Lookups);
    }

    [Fact]
    public void Children_resolve_recursively_each_once_with_their_published_versions()
    {
        var catalog = new Catalog()
            .With("Kid", "param($x) Grand -N $x; Other")
            .With("Grand", "param($N) \"grand $N\"")
            .With("Other", "Grand -N 2")
            .With("Unused", "'never called'");
        var children = ChildRunbookResolver.Resolve("Top", Calls("$r = Kid -x 1; Write-Output $r"), catalog);
        Assert.Equal(new[] { "Kid", "Grand", "Other" }, children.Select(c => c.RunbookName));
        Assert.Equal(catalog.VersionOf("Grand"), children.Single(c => c.RunbookName == "Grand").VersionId);
    }

    [Fact]
    public void A_diamond_is_not_a_cycle()
    {
        var catalog = new Catalog().With("Left", "Bottom").With("Right", "Bottom").With("Bottom", "'b'");
        Assert.Equal(new[] { "Bottom", "Left", "Right" }.Order(), catalog.Resolve("Top", "Left; Right").Order());
    }

    [Fact]
    public void A_cycle_is_refused_naming_the_chain()
    {
        var catalog = new Catalog().With("A", "B").With("B", "'b'\n\nC").With("C", "'c'\nif ($true) {\n  B -Again 1\n}\nB");
        var error = Assert.Throws<SmaException>(() => catalog.Resolve("A", "'a'\nB"));
        Assert.Equal("ChildRunbookCycle", error.ErrorId);
        Assert.Contains("A -> B -> C -> B ('A' calls 'B' on line 2, 'B' calls 'C' on line 3, 'C' calls 'B' on line 3).", error.Message);
        Assert.Equal("B", error.Target);
    }

    [Fact]
    public void A_runbook_calling_itself_is_a_cycle()
    {
        var catalog = new Catalog().With("Selfie", "'x'; Selfie");
        var error = Assert.Throws<SmaException>(() => catalog.Resolve("Selfie", "'x'; Selfie"));
        Assert.Equal("ChildRunbookCycle", error.ErrorId);
        Assert.Contains("Selfie -> Selfie", error.Message);
    }

    [Fact]
    public void Names_match_in_any_case_for_calls_and_cycles()
    {
        var catalog = new Catalog().With("Kid", "GRAND").With("Grand", "kid");
        var error = Assert.Throws<SmaException>(() => catalog.Resolve("Top", "kID"));
        Assert.Equal("ChildRunbookCycle", error.ErrorId);
        Assert.Contains("Top -> Kid -> Grand -> Kid", error.Message);

        var fine = new Catalog().With("Kid", "'k'");
        var children = ChildRunbookResolver.Resolve("Top", Calls("kid; KID; Kid"), fine);
        Assert.Equal("Kid", Assert.Single(children).RunbookName); // the store's spelling, once
    }

    [Fact]
    public void A_child_with_only_a_draft_is_refused_naming_the_chain()
    {
        var catalog = new Catalog().With("Kid", "Draft1").With("Draft1", null);
        var error = Assert.Throws<SmaException>(() => catalog.Resolve("Top", "Kid"));
        Assert.Equal("ChildRunbookNotPublished", error.ErrorId);
        Assert.Contains("Top -> Kid -> Draft1", error.Message);
        Assert.Contains("Publish-SmaRunbook -Name 'Draft1'", error.Message);
    }

    [Fact]
    public void A_session_command_wins_over_a_runbook_of_the_same_name()
    {
        // A runbook named Get-Date, and one named like a command only some job sessions have.
        var catalog = new Catalog().With("Get-Date", "Get-Date").With("Send-Report", "'report'").WithSessionCommand("send-report");
        Assert.Empty(catalog.Resolve("Top", "Get-Date; Send-Report"));
    }

    [Fact]
    public void A_function_the_runbook_defines_wins_over_a_runbook_of_the_same_name()
    {
        var catalog = new Catalog().With("Helper", "'runbook'").With("Kid", "function global:helper { 'own' }\nHelper");
        Assert.Empty(catalog.Resolve("Top", "function Helper { 'mine' }\nHelper"));
        // A child's own function shadows too, and a function of another runbook does not.
        Assert.Equal(new[] { "Kid" }, catalog.Resolve("Top", "Kid"));
        Assert.Equal(new[] { "Helper", "Kid" }.Order(), catalog.Resolve("Top", "Kid; Helper").Order());
    }

    [Fact]
    public void Only_literal_names_are_calls()
    {
        var calls = Calls("""
            & 'Quoted'; . Dotted; & $dynamic; Invoke-Thing -Name NotACall
            1..2 | ForEach-Object { Nested }
            Mod\Qualified; ./Script.ps1; 'Kid'
            """);
        Assert.Equal(new[] { "Dotted", "ForEach-Object", "Invoke-Thing", "Nested", "Quoted" }, calls.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, calls["Nested"]); // the line of its first call
    }
}

using System.Management.Automation;
using Sma.Engine;
using Sma.Engine.Services;

namespace Sma.Cmdlets.Infrastructure;

/// <summary>
/// Base of the asset and integration module cmdlets: their services, listing by names with wildcards, and per-item
/// failures (a name not found, a module still in use) as non-terminating errors that honour -ErrorAction, so one bad
/// item never stops the rest of a pipeline.
/// </summary>
public abstract class AssetCmdlet : SmaCmdlet
{
    protected AssetService Assets => new(Runtime);

    protected ModuleService Modules => new(Runtime);

    /// <summary>Runs one item's work; a per-item engine error becomes a non-terminating error with its ErrorId.</summary>
    protected void PerItem(Action work, params string[] perItemErrorIds)
    {
        try
        {
            work();
        }
        catch (SmaException e) when (e.Category == ErrorCategory.ObjectNotFound || perItemErrorIds.Contains(e.ErrorId))
        {
            WriteError(new ErrorRecord(e, e.ErrorId, e.Category, e.Target));
        }
    }

    /// <summary>
    /// Remove-* by name: each name is looked up first (a missing one is a non-terminating not-found error), then
    /// removed under its stored name if ShouldProcess allows.
    /// </summary>
    protected void RemoveByName(string[] names, string kind, Func<string, string> storedName, Action<string> remove) =>
        RemoveByName(names, kind, storedName, stored => stored, remove);

    /// <summary>Remove-* by name, removing the item found (a remote one is deleted by its id, with no second lookup).</summary>
    protected void RemoveByName<T>(string[] names, string kind, Func<string, T> find, Func<T, string> nameOf, Action<T> remove)
    {
        foreach (var name in names)
            PerItem(() =>
            {
                var found = find(name);
                if (ShouldProcess(nameOf(found), $"Remove {kind}"))
                    remove(found);
            });
    }

    /// <summary>
    /// Get-* by name: every item when no name is given; a wildcard pattern gives what matches (nothing is no error);
    /// a plain name that does not exist is a non-terminating not-found error.
    /// </summary>
    protected void WriteByName<T>(string[]? names, Func<IReadOnlyList<T>> list, Func<T, string> nameOf, Func<string, T> get)
    {
        if (names is null)
        {
            WriteObject(list(), enumerateCollection: true);
            return;
        }
        IReadOnlyList<T>? all = null;
        foreach (var name in names)
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name))
            {
                PerItem(() => WriteObject(get(name)));
                continue;
            }
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            WriteObject((all ??= list()).Where(item => pattern.IsMatch(nameOf(item))), enumerateCollection: true);
        }
    }
}

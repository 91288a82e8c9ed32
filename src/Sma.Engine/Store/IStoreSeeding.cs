using Sma.Engine.Model;
using Sma.Engine.States;

namespace Sma.Engine.Store;

/// <summary>Test and benchmark seeding: not part of the product interface; stores that support it implement it too.</summary>
public interface IStoreSeeding
{
    /// <summary>Writes jobs with their history, parameters and records as given, in one transaction.</summary>
    void SeedJobs(IReadOnlyList<SeedJob> jobs);
}

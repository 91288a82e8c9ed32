namespace Sma.Engine.Model;

/// <summary>
/// The two vocabularies of job statuses (DESIGN §4.3): the portal's (Queued, Starting, ...: <see cref="JobStatus"/>)
/// and SMA's web service's, which scripts written against SMA compare with: New for Queued, Activating for Starting,
/// the other eight the same.
/// </summary>
public static class JobStatusNames
{
    /// <summary>SMA's web service name for <paramref name="status"/>.</summary>
    public static string ServiceName(JobStatus status) => status switch
    {
        JobStatus.Queued => "New",
        JobStatus.Starting => "Activating",
        _ => status.ToString(),
    };

    /// <summary>A status named in either vocabulary, in any case; false for anything else.</summary>
    public static bool TryParse(string name, out JobStatus status)
    {
        if (name.Equals("New", StringComparison.OrdinalIgnoreCase))
        {
            status = JobStatus.Queued;
            return true;
        }
        if (name.Equals("Activating", StringComparison.OrdinalIgnoreCase))
        {
            status = JobStatus.Starting;
            return true;
        }
        foreach (var candidate in Enum.GetValues<JobStatus>())
        {
            if (candidate.ToString().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    /// <summary>A status named in either vocabulary; for names already validated (ValidateSet).</summary>
    public static JobStatus Parse(string name) =>
        TryParse(name, out var status) ? status : throw new ArgumentException($"'{name}' is not a job status.", nameof(name));
}

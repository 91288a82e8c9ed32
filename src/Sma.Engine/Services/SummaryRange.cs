namespace Sma.Engine.Services;

/// <summary>The length of one time slice of a summary.</summary>
public enum SummarySlice
{
    Hour,
    Day,
}

/// <summary>
/// The time range of a job summary: <see cref="SliceCount"/> consecutive hours or days aligned to UTC hour or day
/// boundaries, the last of which is the current one (it contains "now").
/// </summary>
public sealed record SummaryRange
{
    public const int MaxHours = 720;
    public const int MaxDays = 365;

    private SummaryRange(SummarySlice unit, DateTime start, int sliceCount)
    {
        Unit = unit;
        Start = start;
        SliceCount = sliceCount;
    }

    public SummarySlice Unit { get; }

    /// <summary>Start of the first slice (UTC, inclusive).</summary>
    public DateTime Start { get; }

    public int SliceCount { get; }

    public TimeSpan SliceLength => Unit == SummarySlice.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    /// <summary>End of the last slice (UTC, exclusive).</summary>
    public DateTime End => Start + SliceLength * SliceCount;

    public DateTime SliceStart(int index) => Start + SliceLength * index;

    /// <summary>The last <paramref name="hours"/> hours by hour, the current hour last.</summary>
    public static SummaryRange LastHours(int hours, DateTime now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, MaxHours);
        var utc = now.ToUniversalTime();
        var current = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
        return new SummaryRange(SummarySlice.Hour, current.AddHours(-(hours - 1)), hours);
    }

    /// <summary>The last <paramref name="days"/> days by day (UTC days), today last.</summary>
    public static SummaryRange LastDays(int days, DateTime now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var today = DateTime.SpecifyKind(now.ToUniversalTime().Date, DateTimeKind.Utc);
        return new SummaryRange(SummarySlice.Day, today.AddDays(-(days - 1)), days);
    }

    /// <summary>"last 24 hours by hour", "last 7 days by day".</summary>
    public string Describe() => Unit == SummarySlice.Hour
        ? SliceCount == 1 ? "this hour" : $"last {SliceCount} hours by hour"
        : SliceCount == 1 ? "today" : $"last {SliceCount} days by day";
}

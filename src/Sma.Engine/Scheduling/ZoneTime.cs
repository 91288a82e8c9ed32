using System.Collections.Concurrent;

namespace Sma.Engine.Scheduling;

/// <summary>
/// Time zones for schedules: finding one by an IANA or Windows id, and turning a wall-clock time in a zone into UTC
/// with the rules cron follows across DST (Cronos does the same for cron schedules): a time the clocks skip runs at the
/// moment they jump forward; a time that happens twice runs once, the first time.
/// </summary>
public static class ZoneTime
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Found = new(StringComparer.OrdinalIgnoreCase);
    private static readonly TimeSpan SearchWindow = TimeSpan.FromHours(15);

    /// <summary>The zone with this IANA (Europe/Berlin) or Windows (W. Europe Standard Time) id; UnknownTimeZone otherwise.</summary>
    public static TimeZoneInfo Find(string id)
    {
        if (Found.TryGetValue(id, out var zone))
            return zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw SmaErrors.UnknownTimeZone(id);
        }
        return Found[id] = zone;
    }

    /// <summary>This machine's zone as an id other machines can find (UTC when it has none).</summary>
    public static string LocalId
    {
        get
        {
            var id = TimeZoneInfo.Local.Id;
            try
            {
                Find(id);
                return id;
            }
            catch (SmaException)
            {
                return "UTC";
            }
        }
    }

    /// <summary>A wall-clock time in <paramref name="zone"/> as UTC (see the class for skipped and repeated times).</summary>
    public static DateTime ToUtc(DateTime wall, TimeZoneInfo zone)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(wall))
            return FirstInstantAtOrAfter(wall, zone);
        if (zone.IsAmbiguousTime(wall))
            return DateTime.SpecifyKind(wall - zone.GetAmbiguousTimeOffsets(wall).Max(), DateTimeKind.Utc);
        return TimeZoneInfo.ConvertTimeToUtc(wall, zone);
    }

    /// <summary>
    /// A time given to a cmdlet as UTC: a UTC DateTime as it is; a Local one (Get-Date) is the caller's local time; an
    /// Unspecified one ([datetime]'2030-01-01 09:00') is a wall-clock time in the schedule's zone.
    /// </summary>
    public static DateTime Resolve(DateTime given, TimeZoneInfo zone) => given.Kind switch
    {
        DateTimeKind.Utc => given,
        DateTimeKind.Local => given.ToUniversalTime(),
        _ => ToUtc(given, zone),
    };

    /// <summary>
    /// The first UTC instant whose local time is at or after <paramref name="wall"/>: for a skipped time, the moment
    /// the clocks jump. Local time only moves forward near a spring-forward gap, so a binary search finds it.
    /// </summary>
    private static DateTime FirstInstantAtOrAfter(DateTime wall, TimeZoneInfo zone)
    {
        var lo = Math.Max(DateTime.MinValue.Ticks, wall.Ticks - SearchWindow.Ticks);
        var hi = Math.Min(DateTime.MaxValue.Ticks, wall.Ticks + SearchWindow.Ticks);
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (TimeZoneInfo.ConvertTimeFromUtc(new DateTime(mid, DateTimeKind.Utc), zone) >= wall)
                hi = mid;
            else
                lo = mid + 1;
        }
        return new DateTime(lo, DateTimeKind.Utc);
    }
}

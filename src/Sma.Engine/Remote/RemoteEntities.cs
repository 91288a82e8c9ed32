using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;
using Sma.Engine.Model;

namespace Sma.Engine.Remote;

/// <summary>The service's verbose-JSON entries as the engine's own objects, so remote cmdlets return what local ones do.</summary>
internal static class RemoteEntities
{
    public static Runbook Runbook(JsonElement e) => new()
    {
        RunbookID = Guid(e, "RunbookID"),
        RunbookName = Text(e, "RunbookName") ?? "",
        // SMA's words: Script was its PowerShell Workflow runbook, PowerShellScript a plain script.
        RunbookType = Text(e, "RunbookType") == "Script" ? nameof(RunbookType.Workflow) : nameof(RunbookType.Script),
        Description = Text(e, "Description"),
        Tags = Text(e, "Tags"),
        LogVerbose = Bool(e, "LogVerbose"),
        LogProgress = Bool(e, "LogProgress"),
        LogDebug = Bool(e, "LogDebug"),
        RunbookWorker = Text(e, "RunbookWorker"),
        DraftRunbookVersionID = OptionalGuid(e, "DraftRunbookVersionID"),
        PublishedRunbookVersionID = OptionalGuid(e, "PublishedRunbookVersionID"),
        CreationTime = Time(e, "CreationTime") ?? default,
        LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
    };

    /// <summary>A job entry read with <c>$expand=JobContext/JobParameters</c>: its parameters come inline.</summary>
    public static Job Job(JsonElement e, string serviceRoot) =>
        Job(e, Parameters(Expanded(Expanded(e, "JobContext", serviceRoot), "JobParameters", serviceRoot, many: true).EnumerateArray()));

    public static Job Job(JsonElement e, OrderedDictionary parameters) => new()
    {
        JobId = Guid(e, "JobID"),
        RunbookId = Guid(e, "RunbookID"),
        RunbookName = Text(e, "RunbookName") ?? "",
        RunbookVersionId = Guid(e, "RunbookVersionID"),
        State = JobStatusNames.Parse(Text(e, "JobStatus") ?? "New"),
        StatusDetails = Text(e, "StatusDetails"),
        JobException = Text(e, "JobException"),
        JobParameters = parameters,
        CreationTime = Time(e, "CreationTime") ?? default,
        StartTime = Time(e, "StartTime"),
        EndTime = Time(e, "EndTime"),
        LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
        Worker = Text(e, "Worker"),
        StartedBy = Text(e, "StartedBy"),
        ScheduleName = Text(e, "ScheduleName"),
        ErrorCount = Int(e, "ErrorCount"),
        WarningCount = Int(e, "WarningCount"),
    };

    /// <summary>
    /// An expanded link of an entry: an entry (one) or the entries of <c>{"results":[…]}</c> (many). A link the service
    /// did not expand is an error, never an empty list: a job's parameters are never quietly dropped.
    /// </summary>
    private static JsonElement Expanded(JsonElement e, string link, string serviceRoot, bool many = false)
    {
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(link, out var value) && value.ValueKind == JsonValueKind.Object
            && !value.TryGetProperty("__deferred", out _))
        {
            if (!many)
                return value;
            if (value.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
                return results;
        }
        throw SmaErrors.WebServiceUnreachable(serviceRoot, $"it answered without {link} inline ($expand), as this module's service writes it");
    }

    /// <summary>JobParameters as the service shows them: each value as text (arrays and hashtables as JSON).</summary>
    public static OrderedDictionary Parameters(IEnumerable<JsonElement> entries)
    {
        var parameters = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var p in entries)
            parameters[Text(p, "Name") ?? ""] = Text(p, "Value");
        return parameters;
    }

    public static JobStreamRecord StreamRecord(JsonElement e)
    {
        var type = Enum.TryParse<StreamType>(Text(e, "StreamTypeName"), ignoreCase: true, out var t) ? t : StreamType.Output;
        var text = Text(e, "StreamText") ?? "";
        // The service carries text only: an Output record's value is its text.
        return new JobStreamRecord(Guid(e, "JobId"), Long(e, "StreamRecordId"), Time(e, "StreamTime") ?? default, type, text,
            valueXml: null, plainValue: type == StreamType.Output ? text : null);
    }

    public static SmaVariable Variable(JsonElement e) => new()
    {
        VariableID = Guid(e, "VariableID"),
        Name = Text(e, "Name") ?? "",
        Value = Text(e, "Value") is { } json ? VariableValue(json) : null,
        IsEncrypted = Bool(e, "IsEncrypted"),
        Description = Text(e, "Description"),
        CreationTime = Time(e, "CreationTime") ?? default,
        LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
    };

    public static SmaCredential Credential(JsonElement e) => new()
    {
        CredentialID = Guid(e, "CredentialID"),
        Name = Text(e, "Name") ?? "",
        UserName = Text(e, "UserName") ?? "",
        Description = Text(e, "Description"),
        CreationTime = Time(e, "CreationTime") ?? default,
        LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
    };

    public static SmaCertificate Certificate(JsonElement e) => new()
    {
        CertificateID = Guid(e, "CertificateID"),
        Name = Text(e, "Name") ?? "",
        Thumbprint = Text(e, "Thumbprint") ?? "",
        Subject = Text(e, "Subject") ?? "",
        ExpiryTime = Time(e, "ExpiryTime") ?? default,
        HasPrivateKey = Bool(e, "HasPrivateKey"),
        Description = Text(e, "Description"),
        CreationTime = Time(e, "CreationTime") ?? default,
        LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
    };

    /// <summary>A connection read with <c>$expand=ConnectionFieldValues</c>: its fields in order, typed as the field says.</summary>
    public static SmaConnection Connection(JsonElement e, string serviceRoot)
    {
        var fields = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var field in Expanded(e, "ConnectionFieldValues", serviceRoot, many: true).EnumerateArray())
            fields[Text(field, "ConnectionFieldName") ?? ""] = FieldValue(Text(field, "Value"), Text(field, "Type"), Bool(field, "IsEncrypted"));
        return new SmaConnection
        {
            ConnectionID = Guid(e, "ConnectionID"),
            Name = Text(e, "Name") ?? "",
            ConnectionTypeName = Text(e, "ConnectionTypeName") ?? "",
            Description = Text(e, "Description"),
            ConnectionFieldValues = fields,
            CreationTime = Time(e, "CreationTime") ?? default,
            LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
        };
    }

    /// <summary>A connection type read with <c>$expand=ConnectionFields</c>: its fields in their declared order.</summary>
    public static SmaConnectionType ConnectionType(JsonElement e, string serviceRoot)
    {
        var name = Text(e, "Name") ?? "";
        return new SmaConnectionType
        {
            ConnectionTypeID = Guid(e, "ConnectionTypeID"),
            Name = name,
            ModuleName = Text(e, "ModuleName"),
            CreationTime = Time(e, "CreationTime") ?? default,
            Fields = Expanded(e, "ConnectionFields", serviceRoot, many: true).EnumerateArray().Select(f => new SmaConnectionField
            {
                ConnectionTypeName = name,
                Name = Text(f, "Name") ?? "",
                TypeName = Text(f, "Type") ?? "System.String",
                IsEncrypted = Bool(f, "IsEncrypted"),
                IsOptional = Bool(f, "IsOptional"),
            }).ToList(),
        };
    }

    /// <summary>A field's text as the value the local store gives: its declared type (System.Object stays text); masked stays masked.</summary>
    private static object? FieldValue(string? text, string? type, bool encrypted)
    {
        if (text is null || encrypted && text == SmaConnection.Masked)
            return text;
        if (type is "System.Boolean")
            return bool.TryParse(text, out var b) ? b : text; // PowerShell would read any non-empty text, 'False' too, as $true
        if (type is "System.DateTime")
            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : text;
        if (type is null or "System.String" or "System.Object")
            return text;
        return Sma.Engine.Services.ConnectionFieldTypes.TryConvert(text, type, out var converted, out _) ? converted : text;
    }

    public static Schedule Schedule(JsonElement e) => new()
    {
        ScheduleID = Guid(e, "ScheduleID"),
        Name = Text(e, "Name") ?? "",
        ScheduleType = Enum.TryParse<ScheduleType>(Text(e, "ScheduleType"), out var type) ? type : ScheduleType.OneTimeSchedule,
        Description = Text(e, "Description"),
        StartTime = Time(e, "StartTime") ?? default,
        ExpiryTime = Time(e, "ExpiryTime"),
        NextRun = Time(e, "NextRun"),
        Interval = OptionalInt(e, "Interval"),
        Recurrence = Text(e, "Recurrence") ?? "",
        DaysOfWeek = Text(e, "DaysOfWeek") is { Length: > 0 } days
            ? days.Split(',').Select(d => Enum.Parse<DayOfWeek>(d.Trim())).ToArray()
            : null,
        Cron = Text(e, "Cron"),
        TimeZone = Text(e, "TimeZone") ?? "",
        IsEnabled = Bool(e, "IsEnabled"),
        IsExpired = Bool(e, "IsExpired"),
        CreationTime = Time(e, "CreationTime") ?? default,
        LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
    };

    public static SmaModule Module(JsonElement e) => new()
    {
        ModuleID = Guid(e, "ModuleID"),
        ModuleName = Text(e, "ModuleName") ?? "",
        ModuleVersion = Text(e, "ModuleVersion"),
        StoreVersion = Int(e, "Version"),
        Description = Text(e, "Description"),
        ConnectionTypes = (Text(e, "ConnectionTypes") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        Size = Long(e, "Size"),
        Sha256 = Text(e, "Sha256") ?? "",
        CreationTime = Time(e, "CreationTime") ?? default,
        LastModifiedTime = Time(e, "LastModifiedTime") ?? default,
    };

    public static JobHistoryRecord HistoryRecord(JsonElement e) => new()
    {
        JobId = Guid(e, "JobID"),
        Time = Time(e, "Time") ?? default,
        RecordType = Text(e, "RecordType") ?? "",
        Status = Text(e, "Status"),
        Text = Text(e, "Text") ?? "",
        Worker = Text(e, "Worker"),
        StreamRecordId = e.TryGetProperty("StreamRecordId", out var id) && id.ValueKind != JsonValueKind.Null ? Long(e, "StreamRecordId") : null,
    };

    /// <summary>A Status line of a job's history as the status change it reads "From -> To: details" for.</summary>
    public static JobStatusChange StatusChange(JobHistoryRecord line)
    {
        var to = line.Status ?? "";
        var arrow = line.Text.IndexOf(" -> " + to, StringComparison.Ordinal);
        var from = arrow < 0 ? null : line.Text[..arrow];
        var rest = arrow < 0 ? "" : line.Text[(arrow + 4 + to.Length)..];
        return new JobStatusChange
        {
            JobId = line.JobId,
            Time = line.Time,
            FromStatus = from is null or "(new)" ? null : from,
            ToStatus = to,
            Worker = line.Worker,
            Details = rest.StartsWith(": ", StringComparison.Ordinal) ? rest[2..] : null,
        };
    }

    /// <summary>A ScheduleOccurrences entry as the occurrence the local store gives.</summary>
    public static ScheduleOccurrence ScheduleOccurrence(JsonElement e) => new()
    {
        ScheduleName = Text(e, "ScheduleName") ?? "",
        RunbookName = Text(e, "RunbookName") ?? "",
        OccurrenceTime = Time(e, "OccurrenceTime") ?? default,
        Outcome = Enum.TryParse<OccurrenceOutcome>(Text(e, "Outcome"), out var outcome) ? outcome : OccurrenceOutcome.Failed,
        Count = Long(e, "Count"),
        ThroughTime = Time(e, "ThroughTime"),
        JobId = OptionalGuid(e, "JobID"),
        RecordedTime = Time(e, "RecordedTime") ?? default,
        Worker = Text(e, "Worker"),
        Details = Text(e, "Details"),
    };

    public static AdminConfiguration AdminConfiguration(JsonElement e) => new()
    {
        PurgeJobsOlderThanCountDays = Int(e, "PurgeJobsOlderThanCountDays"),
        MaxJobRecords = Int(e, "MaxJobRecords"),
        StorePath = Text(e, "StorePath") ?? "",
    };

    public static WorkerInfo Worker(JsonElement e) => new()
    {
        Name = Text(e, "Name") ?? "",
        ComputerName = Text(e, "ComputerName") ?? "",
        ProcessId = Int(e, "ProcessId"),
        IsEmbedded = Bool(e, "IsEmbedded"),
        Status = Text(e, "Status") ?? "",
        StartTime = Time(e, "StartTime") ?? default,
        LastHeartbeat = Time(e, "LastHeartbeat") ?? default,
        ThrottleLimit = Int(e, "ThrottleLimit"),
        RunningJobs = Int(e, "RunningJobs"),
        IncarnationId = Text(e, "IncarnationId") ?? "",
        LastError = Text(e, "LastError"),
    };

    /// <summary>A JobSchedules entry: the link with its parameter values (a JSON object) as plain values.</summary>
    public static ScheduledRunbook ScheduledRunbook(JsonElement e)
    {
        var parameters = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        if (Text(e, "Parameters") is { Length: > 0 } json)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var p in document.RootElement.EnumerateObject())
                    parameters[p.Name] = Plain(p.Value);
        }
        return new ScheduledRunbook
        {
            JobScheduleId = Guid(e, "JobScheduleID"),
            RunbookId = Guid(e, "RunbookID"),
            RunbookName = Text(e, "RunbookName") ?? "",
            ScheduleId = Guid(e, "ScheduleID"),
            ScheduleName = Text(e, "ScheduleName") ?? "",
            Parameters = parameters,
            NextRun = Time(e, "NextRun"),
            LastRun = Time(e, "LastRun"),
            LastJobId = OptionalGuid(e, "LastJobID"),
            LastMissed = Time(e, "LastMissed"),
            MissedCount = Long(e, "MissedCount"),
            CreationTime = Time(e, "CreationTime") ?? default,
        };
    }

    /// <summary>A JobSummaries row: its slice and one count per status.</summary>
    public static JobSummaryRow SummaryRow(JsonElement e) => new(
        Time(e, "SliceStart") ?? default, Time(e, "SliceEnd") ?? default, Text(e, "RunbookName"),
        JobSummaryRow.Statuses.Select(status => Int(e, status.ToString())).ToList());

    /// <summary>A RunbookVersions entry and its source ($value) as the definition the local store gives.</summary>
    public static RunbookDefinition Definition(JsonElement e, string content, string? translated = null) => new()
    {
        RunbookName = Text(e, "RunbookName") ?? "",
        Content = content,
        Translated = translated,
        RunbookVersion = new RunbookVersion
        {
            RunbookVersionID = Guid(e, "RunbookVersionID"),
            RunbookID = Guid(e, "RunbookID"),
            VersionNumber = Int(e, "VersionNumber"),
            IsDraft = Bool(e, "IsDraft"),
            CreationTime = Time(e, "CreationTime") ?? default,
        },
    };

    /// <summary>A variable's value as the service carries it (JSON text) back to what Set-SmaVariable stored.</summary>
    private static object? VariableValue(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Plain(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static object? Plain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt32(out var i) ? i : e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new Hashtable(StringComparer.OrdinalIgnoreCase), (h, p) => { h[p.Name] = Plain(p.Value); return h; }),
        JsonValueKind.Array => e.EnumerateArray().Select(Plain).ToArray(),
        _ => null,
    };

    public static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Guid Guid(JsonElement e, string name) => OptionalGuid(e, name) ?? System.Guid.Empty;

    private static Guid? OptionalGuid(JsonElement e, string name) =>
        System.Guid.TryParse(Text(e, name), out var id) ? id : null;

    private static bool Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static int Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : 0;

    private static int? OptionalInt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    /// <summary>Int64 in verbose JSON is a string.</summary>
    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.Number ? v.GetInt64()
            : long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : 0
            : 0;

    /// <summary>Verbose JSON's <c>/Date(ms)/</c>, as UTC.</summary>
    private static DateTime? Time(JsonElement e, string name)
    {
        var text = Text(e, name);
        if (text is null || !text.StartsWith("/Date(", StringComparison.Ordinal))
            return null;
        var digits = text[6..text.IndexOf(')')];
        var cut = digits.IndexOfAny(new[] { '+', '-' }, 1);
        if (cut > 0)
            digits = digits[..cut];
        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            ? DateTime.UnixEpoch.AddMilliseconds(ms)
            : null;
    }
}

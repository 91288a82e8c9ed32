using System.Management.Automation;

namespace Sma.Engine.Model;

/// <summary>One record a job wrote. <see cref="StreamRecordId"/> is one sequence per job across all kinds.</summary>
public sealed class JobStreamRecord
{
    private readonly string? _valueXml;
    private object? _value;
    private bool _valueRead;

    public JobStreamRecord(Guid jobId, long streamRecordId, DateTime streamTime, StreamType type, string text, string? valueXml)
    {
        JobId = jobId;
        StreamRecordId = streamRecordId;
        StreamTime = streamTime;
        StreamType = type;
        StreamText = text;
        _valueXml = valueXml;
    }

    /// <summary>A record read through the web service, which carries no serialized object: its value is given as it is.</summary>
    internal JobStreamRecord(Guid jobId, long streamRecordId, DateTime streamTime, StreamType type, string text, string? valueXml, object? plainValue)
        : this(jobId, streamRecordId, streamTime, type, text, valueXml)
    {
        _value = plainValue;
        _valueRead = valueXml is null;
    }

    public Guid JobId { get; }
    public long StreamRecordId { get; }
    public DateTime StreamTime { get; }
    public StreamType StreamType { get; }
    public string StreamTypeName => StreamType.ToString();
    public string StreamText { get; }

    /// <summary>For Output records, the object the job wrote, deserialized from CliXml on first use.</summary>
    public object? Value
    {
        get
        {
            if (!_valueRead)
            {
                _value = _valueXml is null ? null : PSSerializer.Deserialize(_valueXml);
                _valueRead = true;
            }
            return _value;
        }
    }

    public override string ToString() => StreamText;
}

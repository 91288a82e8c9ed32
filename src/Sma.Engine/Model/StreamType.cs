namespace Sma.Engine.Model;

/// <summary>The kinds of stream records a job keeps (DESIGN §4.5). Values are stored; never renumber.</summary>
public enum StreamType
{
    Output = 0,
    Error = 1,
    Warning = 2,
    Verbose = 3,
    Progress = 4,
    Debug = 5,
    Information = 6,
}

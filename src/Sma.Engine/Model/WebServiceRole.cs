namespace Sma.Engine.Model;

/// <summary>
/// What a web service account may do. Each role includes the ones before it: a Reader reads runbooks and jobs; an
/// Operator also starts, stops, suspends and resumes jobs and reads assets' non-secret fields; an Administrator may do
/// everything (runbooks, assets). Values are stored by name.
/// </summary>
public enum WebServiceRole
{
    Reader = 0,
    Operator = 1,
    Administrator = 2,
}

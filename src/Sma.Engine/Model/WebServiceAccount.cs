namespace Sma.Engine.Model;

/// <summary>An account of the web service, as Get-SmaWebServiceAccount shows it: never its password. Times are UTC.</summary>
public sealed class WebServiceAccount
{
    public Guid AccountID { get; init; }
    public string Name { get; init; } = "";
    public WebServiceRole Role { get; init; }

    /// <summary>A disabled account cannot sign in; its history stays.</summary>
    public bool IsEnabled { get; init; }

    public string? Description { get; init; }
    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    public override string ToString() => Name;
}

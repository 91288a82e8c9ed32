namespace Sma.Engine.Model;

/// <summary>A credential asset as Get-SmaCredential shows it: never the password. Times are UTC.</summary>
public sealed class SmaCredential
{
    public Guid CredentialID { get; init; }
    public string Name { get; init; } = "";
    public string UserName { get; init; } = "";
    public string? Description { get; init; }
    public DateTime CreationTime { get; init; }
    public DateTime LastModifiedTime { get; init; }

    public override string ToString() => Name;
}

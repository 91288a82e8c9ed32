using System.IO.Compression;
using System.Management.Automation.Language;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Sma.Engine.Store;

namespace Sma.Engine.Modules;

/// <summary>
/// An integration module read from a .zip or a folder, checked and repacked for the store: a zip whose root is the
/// module's own folder (<c>Name.psd1</c>, <c>Name.psm1</c> or <c>Name.dll</c> at the top), with the manifest's version
/// and the connection type of its <c>Name-Automation.json</c>. Accepts SMA's layout (Name.zip holding Name/), files at
/// the zip's top level, and a version folder (Name/1.2.3/).
/// </summary>
internal sealed class ModulePackage
{
    /// <summary>Larger modules are refused: the store keeps each module's files in one row.</summary>
    public const long MaxUncompressedBytes = 1L << 30;

    private static readonly Regex NamePattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant);
    private static readonly string[] ModuleFileKinds = { ".psd1", ".psm1", ".dll" };

    private ModulePackage(ModuleWrite write) => Write = write;

    public ModuleWrite Write { get; }

    public static ModulePackage Read(string path)
    {
        if (Directory.Exists(path))
            return FromFolder(path);
        if (!File.Exists(path))
            throw SmaErrors.ModuleFileNotFound(path);
        using var file = File.OpenRead(path);
        return FromZip(file, path, Path.GetFileNameWithoutExtension(path), "it is not a .zip file (nor a folder)");
    }

    /// <summary>
    /// A module sent as a .zip's bytes (the web service's POST Modules, Slug: the name): read as a file named
    /// <paramref name="name"/>.zip would be, so the same layouts and checks apply.
    /// </summary>
    public static ModulePackage Read(byte[] content, string name) =>
        FromZip(new MemoryStream(content, writable: false), name + ".zip", name, "it is not a .zip file");

    private static ModulePackage FromZip(Stream stream, string path, string name, string notZip)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw SmaErrors.ModuleFileInvalid(path, notZip);
        }
        using (zip)
        {
            var files = zip.Entries
                .Where(e => !e.FullName.EndsWith('/') && !e.FullName.EndsWith('\\'))
                .Select(e => new Entry(Normalize(path, e.FullName), e.Length, e.LastWriteTime, e.Open))
                .ToList();
            return Build(path, name, files);
        }
    }

    private static ModulePackage FromFolder(string folder)
    {
        folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f))
            .Select(f => new Entry(
                Path.GetRelativePath(folder, f.FullName).Replace('\\', '/'), f.Length, f.LastWriteTime, () => f.OpenRead()))
            .ToList();
        return Build(folder, Path.GetFileName(folder), files);
    }

    private static ModulePackage Build(string path, string name, List<Entry> files)
    {
        var (root, moduleName) = FindRoot(path, name, files);
        if (!NamePattern.IsMatch(moduleName))
            throw SmaErrors.InvalidModuleName(moduleName);
        var own = files.Where(f => f.Path.StartsWith(root, StringComparison.Ordinal)).ToList();
        if (own.Sum(f => f.Length) > MaxUncompressedBytes)
            throw SmaErrors.ModuleFileInvalid(path, $"its files are larger than {MaxUncompressedBytes >> 20} MB");

        using var content = new MemoryStream();
        string? manifest = null, connectionJson = null;
        using (var repacked = new ZipArchive(content, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in own)
            {
                var relative = file.Path[root.Length..];
                var entry = repacked.CreateEntry(relative, CompressionLevel.Optimal);
                entry.LastWriteTime = file.Time.Year is >= 1980 and < 2108 ? file.Time : new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var source = file.Open();
                if (relative.Equals(moduleName + ".psd1", StringComparison.OrdinalIgnoreCase))
                    manifest = ReadText(source, entry);
                else if (relative.Equals(ConnectionTypeFile.FileName(moduleName), StringComparison.OrdinalIgnoreCase))
                    connectionJson = ReadText(source, entry);
                else
                {
                    using var target = entry.Open();
                    source.CopyTo(target);
                }
            }
        }
        var bytes = content.ToArray();
        var (version, description) = manifest is null ? (null, null) : ReadManifest(Path.Combine(path, root, moduleName + ".psd1"), manifest);
        var connectionType = connectionJson is null
            ? null
            : ConnectionTypeFile.Parse(Path.Combine(path, root, ConnectionTypeFile.FileName(moduleName)), connectionJson);
        return new ModulePackage(new ModuleWrite(
            moduleName, version, description, bytes, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), connectionType));
    }

    /// <summary>Where the module's own files start, and its name: the top level, one folder named like it, or its version folder.</summary>
    private static (string Root, string Name) FindRoot(string path, string name, List<Entry> files)
    {
        if (HasModuleFile(files, "", name))
            return ("", name);
        var tops = files.Select(f => f.Path.Split('/')[0]).Distinct(StringComparer.Ordinal).ToList();
        if (tops.Count == 1 && files.All(f => f.Path.Contains('/')))
        {
            var folder = tops[0];
            if (HasModuleFile(files, folder + "/", folder))
                return (folder + "/", folder);
            var versions = files.Select(f => f.Path.Split('/')).Where(p => p.Length > 2).Select(p => p[1]).Distinct().ToList();
            if (versions.Count == 1 && Version.TryParse(versions[0], out _) && HasModuleFile(files, $"{folder}/{versions[0]}/", folder))
                return ($"{folder}/{versions[0]}/", folder);
            name = folder;
        }
        throw SmaErrors.ModuleManifestMissing(path, name);
    }

    private static bool HasModuleFile(List<Entry> files, string root, string name) =>
        ModuleFileKinds.Any(kind => files.Any(f => f.Path.Equals(root + name + kind, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Entry names with '/' separators; anything that would land outside the module's folder is refused.</summary>
    private static string Normalize(string path, string entry)
    {
        var name = entry.Replace('\\', '/');
        if (name.StartsWith('/') || name.Contains(':') || name.Split('/').Any(part => part is ".." or "."))
            throw SmaErrors.ModuleFileInvalid(path, $"its entry '{entry}' points outside the module's folder");
        return name;
    }

    private static string ReadText(Stream source, ZipArchiveEntry entry)
    {
        using var buffer = new MemoryStream();
        source.CopyTo(buffer);
        using (var target = entry.Open())
            target.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        buffer.Position = 0;
        using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>ModuleVersion and Description from the manifest, read as data (nothing in it runs).</summary>
    private static (string? Version, string? Description) ReadManifest(string file, string text)
    {
        var ast = Parser.ParseInput(text, out _, out var errors);
        if (errors.Length > 0)
            throw SmaErrors.ModuleManifestInvalid(file,
                $"line {errors[0].Extent.StartLineNumber}, column {errors[0].Extent.StartColumnNumber}: {errors[0].Message}");
        if (ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) is not HashtableAst table)
            throw SmaErrors.ModuleManifestInvalid(file, "it holds no hashtable (@{ ModuleVersion = '1.0' ... }).");
        string? Value(string key) => table.KeyValuePairs
            .Where(p => p.Item1 is StringConstantExpressionAst k && k.Value.Equals(key, StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Item2.Find(a => a is StringConstantExpressionAst, searchNestedScriptBlocks: false) as StringConstantExpressionAst)
            .FirstOrDefault()?.Value;
        return (Value("ModuleVersion"), Value("Description"));
    }

    private sealed record Entry(string Path, long Length, DateTimeOffset Time, Func<Stream> Open);
}

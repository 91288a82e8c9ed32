using Dapper;
using Npgsql;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>Integration modules and the connection types they register (IModuleStore).</summary>
public sealed partial class PostgresStore
{
    private const string ModuleColumns =
        "module_id, name, module_version, version, description, content_sha256, size, creation_time, last_modified_time";


    public long ModulesGeneration() => Read(c =>
        c.ExecuteScalar<long?>("SELECT CAST(value AS bigint) FROM admin_configuration WHERE key = 'ModulesGeneration'") ?? 0);

    public StoredModule? FindModule(string name) => Read(c => Modules(c, null, "WHERE name = @name", new { name }).SingleOrDefault());

    public StoredModule? FindModule(Guid id) => Read(c =>
        Modules(c, null, "WHERE module_id = @id", new { id = id.ToString() }).SingleOrDefault());

    public IReadOnlyList<StoredModule> ListModules() => Read(c => Modules(c, null, "", null));

    public ModuleContent? ReadModuleContent(Guid id) => Read(c =>
    {
        using var query = c.CreateCommand();
        query.CommandText = "SELECT name, version, content_sha256, content FROM modules WHERE module_id = @id";
        query.Parameters.AddWithValue("id", id.ToString());
        using var reader = query.ExecuteReader();
        return reader.Read()
            ? new ModuleContent(id, reader.GetString(0), (int)reader.GetInt64(1), reader.GetString(2), (byte[])reader.GetValue(3))
            : null;
    });

    public StoredModule SaveModule(ModuleWrite module) => Write(tx =>
    {
        var c = tx.Connection!;
        var existing = Modules(c, tx, "WHERE name = @name", new { name = module.Name }).SingleOrDefault();
        var id = existing?.Id ?? Guid.NewGuid();
        var now = Now();
        var values = new
        {
            id = id.ToString(),
            module.Name,
            module.ModuleVersion,
            version = (existing?.Version ?? 0) + 1,
            module.Description,
            module.Content,
            module.Sha256,
            size = (long)module.Content.Length,
            now,
        };
        if (existing is null)
            c.Execute(
                "INSERT INTO modules (module_id, name, module_version, version, description, content, content_sha256, size, " +
                "creation_time, last_modified_time) VALUES (@id, @Name, @ModuleVersion, @version, @Description, @Content, " +
                "@Sha256, @size, @now, @now)", values, tx);
        else
            c.Execute(
                "UPDATE modules SET module_version = @ModuleVersion, version = @version, description = @Description, " +
                "content = @Content, content_sha256 = @Sha256, size = @size, last_modified_time = @now WHERE module_id = @id",
                values, tx);
        RegisterConnectionType(tx, id, module.Name, module.ConnectionType);
        BumpModulesGeneration(tx);
        return Modules(c, tx, "WHERE module_id = @id", new { id = id.ToString() }).Single();
    });

    public void RemoveModule(Guid id) => Write(tx =>
    {
        var c = tx.Connection!;
        var module = Modules(c, tx, "WHERE module_id = @id", new { id = id.ToString() }).SingleOrDefault()
            ?? throw SmaErrors.ModuleIdNotFound(id);
        RegisterConnectionType(tx, id, module.Name, null);
        c.Execute("DELETE FROM modules WHERE module_id = @id", new { id = id.ToString() }, tx);
        BumpModulesGeneration(tx);
        return 0;
    });

    /// <summary>
    /// Makes <paramref name="type"/> the module's only connection type: updates it in place when the module already
    /// registered it (connections keep referring to it), adds it otherwise, and drops the module's other types —
    /// unless connections use them. A name another module (or the built-in type) holds is refused.
    /// </summary>
    private void RegisterConnectionType(NpgsqlTransaction tx, Guid moduleId, string moduleName, ConnectionTypeDefinition? type)
    {
        var c = tx.Connection!;
        var module = moduleId.ToString();
        string? keep = null;
        if (type is not null)
        {
            var holder = c.QuerySingleOrDefault<ConnectionTypeRow>(
                "SELECT t.connection_type_id, t.name, t.module_id, m.name AS module_name, t.creation_time " +
                "FROM connection_types t LEFT JOIN modules m ON m.module_id = t.module_id WHERE t.name = @Name",
                new { type.Name }, tx);
            if (holder is not null && holder.ModuleId != module)
                throw SmaErrors.ConnectionTypeExists(holder.Name, holder.ModuleName);
            keep = holder?.ConnectionTypeId ?? Guid.NewGuid().ToString();
            if (holder is null)
                c.Execute(
                    "INSERT INTO connection_types (connection_type_id, name, module_id, creation_time) VALUES (@keep, @Name, @module, @now)",
                    new { keep, type.Name, module, now = Now() }, tx);
            else
                c.Execute("UPDATE connection_types SET name = @Name WHERE connection_type_id = @keep", new { keep, type.Name }, tx);
            c.Execute("DELETE FROM connection_type_fields WHERE connection_type_id = @keep", new { keep }, tx);
            for (var i = 0; i < type.Fields.Count; i++)
            {
                var f = type.Fields[i];
                c.Execute(
                    "INSERT INTO connection_type_fields (connection_type_id, ordinal, name, type_name, is_encrypted, is_optional) " +
                    "VALUES (@keep, @i, @Name, @TypeName, @IsEncrypted::int, @IsOptional::int)",
                    new { keep, i, f.Name, f.TypeName, f.IsEncrypted, f.IsOptional }, tx);
            }
        }
        foreach (var dropped in c.Query<ConnectionTypeRow>(
                     "SELECT connection_type_id, name FROM connection_types WHERE module_id = @module AND connection_type_id IS DISTINCT FROM @keep",
                     new { module, keep }, tx).ToList())
        {
            var users = c.Query<string>(
                "SELECT name FROM connections WHERE connection_type_id = @id ORDER BY name",
                new { id = dropped.ConnectionTypeId }, tx).ToList();
            if (users.Count > 0)
                throw SmaErrors.ModuleConnectionTypeInUse(moduleName, dropped.Name, users);
            c.Execute("DELETE FROM connection_types WHERE connection_type_id = @id", new { id = dropped.ConnectionTypeId }, tx);
        }
    }

    private void BumpModulesGeneration(NpgsqlTransaction tx) =>
        tx.Connection!.Execute(
            "INSERT INTO admin_configuration (key, value) VALUES ('ModulesGeneration', '1') " +
            "ON CONFLICT (key) DO UPDATE SET value = (CAST(admin_configuration.value AS bigint) + 1)::text", transaction: tx);

    private List<StoredModule> Modules(NpgsqlConnection c, NpgsqlTransaction? tx, string where, object? args)
    {
        var types = c.Query<(string ModuleId, string Name)>(
                "SELECT module_id, name FROM connection_types WHERE module_id IS NOT NULL ORDER BY name", transaction: tx)
            .ToLookup(t => t.ModuleId, t => t.Name);
        // 'where' is one of this file's constant clauses; values are parameters.
        return c.Query<ModuleRow>($"SELECT {ModuleColumns} FROM modules {where} ORDER BY name", args, tx)
            .Select(m => new StoredModule(
                Guid.Parse(m.ModuleId), m.Name, m.ModuleVersion, (int)m.Version, m.ContentSha256, m.Size, m.Description,
                types[m.ModuleId].ToList(), Utc(m.CreationTime), Utc(m.LastModifiedTime)))
            .ToList();
    }
}

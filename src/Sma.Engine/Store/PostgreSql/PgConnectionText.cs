using Npgsql;

namespace Sma.Engine.Store.PostgreSql;

/// <summary>The store setting for a PostgreSQL store: a <c>postgresql://</c> URI or an Npgsql key=value string.</summary>
internal static class PgConnectionText
{
    /// <summary>
    /// An Npgsql connection string for <paramref name="text"/>. A URI is
    /// <c>postgresql://[user[:password]@]host[:port][/database][?key=value&amp;...]</c>, the query keys being Npgsql's
    /// connection keywords (e.g. <c>sslmode=require</c>).
    /// </summary>
    public static string ToConnectionString(string text)
    {
        text = text.Trim();
        if (!text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
            return new NpgsqlConnectionStringBuilder(text).ConnectionString;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new ArgumentException("The store setting is not a valid postgresql:// URI: write postgresql://user@host:5432/database.");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0)
            builder.Port = uri.Port;
        if (uri.UserInfo is { Length: > 0 } info)
        {
            var colon = info.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? info : info[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(info[(colon + 1)..]);
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
                throw new ArgumentException($"'{pair}' in the URI's query is not key=value.");
            builder[Uri.UnescapeDataString(pair[..eq])] = Uri.UnescapeDataString(pair[(eq + 1)..]);
        }
        return builder.ConnectionString;
    }

    /// <summary>The text without its password, for messages.</summary>
    public static string Redact(string text)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ToConnectionString(text)) { Password = null };
            return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (a connection setting that could not be read)";
        }
    }
}

using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Server.Security;

namespace Sma.Server.OData;

/// <summary>
/// SMA's OData v3 service under <c>/00000000-0000-0000-0000-000000000000/</c>: every request is authenticated, checked
/// against the account's role, routed to its entity set's declaration and answered in Atom (the default) or verbose
/// JSON; every failure is an OData error with the engine's ErrorId as its code.
/// </summary>
internal sealed class ODataService
{
    public const string Root = "/00000000-0000-0000-0000-000000000000";

    private readonly SmaRuntime _runtime;
    private readonly ILogger<ODataService> _log;

    public ODataService(SmaRuntime runtime, ILogger<ODataService> log)
    {
        _runtime = runtime;
        _log = log;
    }

    public async Task Handle(HttpContext http)
    {
        var json = WantsJson(http.Request);
        try
        {
            var auth = await http.AuthenticateAsync(SecurityDefaults.Scheme);
            if (!auth.Succeeded || auth.Principal is null)
            {
                var failure = http.Items[SecurityDefaults.FailureKey] as SmaException ?? SmaErrors.WebAuthenticationRequired();
                if (failure.ErrorId is "AuthenticationRequired" or "InvalidCredentials")
                    http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{SecurityDefaults.Realm}\", charset=\"UTF-8\"";
                if (failure.ErrorId == "TooManySignInFailures" && failure.Target is int retry)
                    http.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                await WriteError(http, json, failure);
                return;
            }
            var (account, role) = SecurityDefaults.Identity(auth.Principal);
            http.User = auth.Principal; // the portal's anti-forgery tokens are bound to the signed-in account
            var method = Method(http.Request);
            if (method is not ("GET" or "HEAD") && auth.Ticket?.AuthenticationScheme == SecurityDefaults.CookieScheme)
            {
                // A browser session (the portal) must prove the request came from its own page.
                var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(http))
                    throw new SmaException("CsrfTokenInvalid", System.Management.Automation.ErrorCategory.SecurityError,
                        "The request has no valid anti-forgery token; reload the page and try again. Nothing was changed.", null);
            }
            var ctx = new RequestContext(http, _runtime, account, role, ServiceRoot(http.Request));
            if (method is "POST" or "PUT" or "MERGE" or "PATCH")
                ctx.Body = await ReadBody(http);
            var path = http.Request.Path.Value ?? ""; // relative to the service root (mapped as the path base)
            await Dispatch(ctx, method, ODataPath.Parse(path), json);
        }
        catch (SmaException e)
        {
            await WriteError(http, json, e);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteError(http, json, SmaErrors.WebBodyTooLarge(MaxBody(http)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogError(e, "The web service failed on {Method} {Path}", http.Request.Method, http.Request.Path);
            await WriteError(http, json, new SmaException("InternalError", System.Management.Automation.ErrorCategory.NotSpecified,
                "The web service failed to serve this request; its log has the details.", null), 500);
        }
    }

    private async Task Dispatch(RequestContext ctx, string method, ODataPath path, bool json)
    {
        var http = ctx.Http;
        if (path.IsServiceDocument || path.IsMetadata)
        {
            RequireMethod(method, "the service document", "GET");
            Require(ctx, WebServiceRole.Reader, "read the service");
            if (path.IsMetadata)
                await Write(http, 200, "application/xml;charset=utf-8", MetadataWriter.Write(ServiceModel.Sets), "3.0;");
            else if (json)
                await Write(http, 200, JsonType, JsonWriter.ServiceDocument(ServiceModel.Sets));
            else
                await Write(http, 200, "application/atomsvc+xml;charset=utf-8", AtomWriter.ServiceDocument(ctx, ServiceModel.Sets));
            return;
        }
        var set = path.Set!;
        var rest = path.Rest;
        if (path.Key is null)
        {
            if (rest.Count == 0)
            {
                if (method == "GET")
                {
                    Require(ctx, set.ReadRole, $"read {set.Name}");
                    var options = QueryOptions.Parse(set, http.Request.Query);
                    RequireExpanded(ctx, options.Expand);
                    var page = List(ctx, set, options);
                    await WriteFeed(ctx, set, set.Name, page, json, expand: options.Expand);
                    return;
                }
                if (method == "POST" && (set.CreateFromMedia is not null || set.Create is not null))
                {
                    Require(ctx, WebServiceRole.Administrator, $"create {set.Name}");
                    var created = set.CreateFromMedia is { } media ? media(ctx, ctx.Body) : set.Create!(ctx, EntityBody.Parse(ctx.Body, http.Request.ContentType));
                    http.Response.Headers.Location = ctx.ServiceRoot + set.KeyPath(created);
                    await WriteEntry(ctx, set, created, json, 201);
                    return;
                }
                throw NotAllowed(method, set.Name, "GET" + (set.Create is not null || set.CreateFromMedia is not null ? ", POST" : ""));
            }
            if (rest is ["$count"])
            {
                RequireMethod(method, $"{set.Name}/$count", "GET");
                Require(ctx, set.ReadRole, $"count {set.Name}");
                var options = QueryOptions.Parse(set, http.Request.Query);
                var count = Count(ctx, set, options);
                await Write(http, 200, "text/plain;charset=utf-8", Encoding.UTF8.GetBytes(count.ToString(CultureInfo.InvariantCulture)));
                return;
            }
            if (rest.Count == 1 && set.Operations.FirstOrDefault(o => o.Name == rest[0] && o.HttpMethod == "GET" && !o.Bound) is { } function)
            {
                RequireMethod(method, $"{set.Name}/{function.Name}", "GET");
                Require(ctx, function.Role, $"call {set.Name}/{function.Name}");
                var result = function.Invoke(ctx, null);
                await WriteOperationResult(ctx, function, result, json);
                return;
            }
            throw SmaErrors.WebResourceNotFound($"{set.Name}/{string.Join('/', rest)}");
        }

        var entity = set.Get(ctx, path.Key) ?? throw SmaErrors.WebEntityNotFound(set.Name, string.Join(",", path.Key.Select(Literals.Format)));
        if (rest.Count == 0)
        {
            switch (method)
            {
                case "GET":
                    Require(ctx, set.ReadRole, $"read {set.Name}");
                    var expand = QueryOptions.ExpandOf(set, http.Request.Query);
                    RequireExpanded(ctx, expand);
                    await WriteEntry(ctx, set, entity, json, 200, expand);
                    return;
                case "PUT" or "MERGE" or "PATCH" when set.Update is not null:
                    Require(ctx, WebServiceRole.Administrator, $"change {set.Name}");
                    set.Update(ctx, entity, EntityBody.Parse(ctx.Body, http.Request.ContentType), method != "PUT");
                    http.Response.StatusCode = 204;
                    return;
                case "DELETE" when set.Delete is not null:
                    Require(ctx, WebServiceRole.Administrator, $"delete {set.Name}");
                    set.Delete(ctx, entity);
                    http.Response.StatusCode = 204;
                    return;
            }
            throw NotAllowed(method, set.KeyPath(entity),
                "GET" + (set.Update is not null ? ", PUT, MERGE" : "") + (set.Delete is not null ? ", DELETE" : ""));
        }
        if (rest is ["$value"])
        {
            await Media(ctx, method, set, entity);
            return;
        }
        if (set.Navigations.FirstOrDefault(n => n.Name == rest[0]) is { } navigation)
        {
            var target = ServiceModel.Find(navigation.TargetSet)!;
            RequireMethod(method, $"{set.Name}/{navigation.Name}", "GET");
            Require(ctx, (WebServiceRole)Math.Max((int)set.ReadRole, (int)target.ReadRole), $"read {target.Name}");
            var followed = navigation.Follow(ctx, entity);
            if (navigation.Many)
            {
                if (rest.Count > 1)
                    throw SmaErrors.WebResourceNotFound(string.Join('/', rest));
                var options = QueryOptions.Parse(target, http.Request.Query);
                RequireExpanded(ctx, options.Expand);
                var page = Paging.InMemory(target, options, ((IEnumerable<object>)followed!).ToList());
                await WriteFeed(ctx, target, set.KeyPath(entity) + "/" + navigation.Name, page, json, expand: options.Expand);
                return;
            }
            if (followed is null)
            {
                http.Response.StatusCode = 204;
                return;
            }
            if (rest is [_, "$value"])
            {
                await Media(ctx, method, target, followed);
                return;
            }
            if (rest.Count > 1)
                throw SmaErrors.WebResourceNotFound(string.Join('/', rest));
            var expandFollowed = QueryOptions.ExpandOf(target, http.Request.Query);
            RequireExpanded(ctx, expandFollowed);
            await WriteEntry(ctx, target, followed, json, 200, expandFollowed);
            return;
        }
        if (rest.Count == 1 && set.Operations.FirstOrDefault(o => o.Name == rest[0] && o.HttpMethod == "GET" && o.Bound) is { } bound)
        {
            RequireMethod(method, $"{set.Name}(…)/{bound.Name}", "GET");
            Require(ctx, (WebServiceRole)Math.Max((int)set.ReadRole, (int)bound.Role), $"call {set.Name}(…)/{bound.Name}");
            await WriteOperationResult(ctx, bound, bound.Invoke(ctx, entity), json);
            return;
        }
        if (rest.Count == 1 && set.Operations.FirstOrDefault(o => o.Name == rest[0] && o.HttpMethod == "POST") is { } action)
        {
            RequireMethod(method, $"{set.Name}(…)/{action.Name}", "POST");
            Require(ctx, action.Role, $"{action.Name} {set.Name}");
            await WriteOperationResult(ctx, action, action.Invoke(ctx, entity), json);
            return;
        }
        if (set.FindProperty(rest[0]) is { } property && rest.Count <= 2 && (rest.Count == 1 || rest[1] == "$value"))
        {
            RequireMethod(method, $"{set.Name}(…)/{property.Name}", "GET");
            Require(ctx, set.ReadRole, $"read {set.Name}");
            var value = property.Get(entity);
            if (rest.Count == 2)
            {
                if (value is null)
                    http.Response.StatusCode = 404;
                else
                    await Write(http, 200, "text/plain;charset=utf-8", Encoding.UTF8.GetBytes(AtomWriter.Text(property.Type, value)));
                return;
            }
            await WritePrimitive(http, property.Name, property.Type, value, json);
            return;
        }
        throw SmaErrors.WebResourceNotFound($"{set.KeyPath(entity)}/{string.Join('/', rest)}");
    }

    private static PageResult List(RequestContext ctx, EntitySetDefinition set, QueryOptions options)
    {
        if (set.ListPage is { } page)
            return page(ctx, options);
        if (set.ListAll is { } all)
            return Paging.InMemory(set, options, all(ctx).ToList());
        throw SmaErrors.WebRequestInvalid("SetNotListable",
            $"{set.Name} is read through other entries: {ListHint(set)}.", set.Name);
    }

    private static string ListHint(EntitySetDefinition set) => set.Name switch
    {
        "JobParameters" => "JobContexts(guid'…')/JobParameters",
        "RunbookParameters" => "RunbookVersions(guid'…')/RunbookParameters",
        "JobStreams" => "JobStreams/GetStreamItems?jobId='…'&streamType='Any'",
        "ConnectionFieldValues" => "Connections(guid'…')/ConnectionFieldValues",
        "JobChildRunbooks" => "Jobs(guid'…')/ChildRunbooks",
        "ScheduleOccurrences" => "ScheduleOccurrences/GetHistory?scheduleName='…'&runbookName='…'&first=100",
        _ => "its links",
    };

    private static long Count(RequestContext ctx, EntitySetDefinition set, QueryOptions options)
    {
        if (set.ListPage is not null)
        {
            var withCount = QueryOptions.Parse(set, new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(
                ctx.Http.Request.Query.Where(q => q.Key is "$filter").Append(new("$inlinecount", "allpages")).Append(new("$top", "0")))));
            return set.ListPage(ctx, withCount).Count ?? 0;
        }
        if (set.ListAll is { } all)
            return all(ctx).Count(e => options.Filter is null || FilterEvaluator.Matches(options.Filter, e));
        throw SmaErrors.WebRequestInvalid("SetNotListable", $"{set.Name} is read through other entries: {ListHint(set)}.", set.Name);
    }

    private async Task Media(RequestContext ctx, string method, EntitySetDefinition set, object entity)
    {
        var http = ctx.Http;
        if (method == "GET" && set.ReadMedia is { } read)
        {
            Require(ctx, set.ReadRole, $"read {set.Name}");
            var media = read(ctx, entity);
            http.Response.Headers.ETag = media.ETag;
            if (http.Request.Headers.IfNoneMatch.Any(v => v == media.ETag || v == "*"))
            {
                http.Response.StatusCode = 304;
                return;
            }
            await Write(http, 200, media.ContentType, media.Content);
            return;
        }
        if (method == "PUT" && set.WriteMedia is { } write)
        {
            Require(ctx, WebServiceRole.Administrator, $"change {set.Name}");
            if (http.Request.Headers.IfMatch.Count > 0 && set.ReadMedia is { } current
                && !http.Request.Headers.IfMatch.Any(v => v == "*" || v == current(ctx, entity).ETag))
                throw new SmaException("PreconditionFailed", System.Management.Automation.ErrorCategory.InvalidOperation,
                    "The content changed since it was read (If-Match does not match its ETag); read it again. Nothing was changed.", null);
            write(ctx, entity, ctx.Body);
            http.Response.StatusCode = 204;
            return;
        }
        throw NotAllowed(method, set.KeyPath(entity) + "/$value", (set.ReadMedia is null ? "" : "GET") + (set.WriteMedia is null ? "" : ", PUT"));
    }

    private async Task WriteOperationResult(RequestContext ctx, OperationDefinition operation, OperationResult result, bool json)
    {
        if (result.Set is { } set && result.Entries is { } entries)
        {
            // GetStreamItems: a feed, paged by StreamRecordId; other functions answer whole.
            var list = entries.ToList();
            string? next = null;
            if (result.SkipTokenOf is { } tokenOf && list.Count > ServiceModel.StreamPage)
            {
                list = list.Take(ServiceModel.StreamPage).ToList();
                next = tokenOf(list[^1]);
            }
            await WriteFeed(ctx, set, $"{set.Name}/{operation.Name}", new PageResult(list, null, next, null), json, "3.0;");
            return;
        }
        if (result.Type is not { } type)
        {
            ctx.Http.Response.StatusCode = 204;
            return;
        }
        await WritePrimitive(ctx.Http, operation.Name, type, result.Value, json);
    }

    private static async Task WritePrimitive(HttpContext http, string name, EdmType type, object? value, bool json)
    {
        if (json)
            await Write(http, 200, JsonType, JsonWriter.Primitive(name, type, value), "3.0;");
        else
            await Write(http, 200, "application/xml;charset=utf-8", AtomWriter.Primitive(name, type, value), "3.0;");
    }

    private static async Task WriteFeed(RequestContext ctx, EntitySetDefinition set, string selfPath, PageResult page, bool json,
        string version = "2.0;", ExpandClause? expand = null)
    {
        var next = page.NextSkipToken is null ? null : NextLink(ctx.Http.Request, selfPath, page);
        if (json)
            await Write(ctx.Http, 200, JsonType, JsonWriter.Feed(ctx, set, page.Entries, page.Count, next, expand), version);
        else
            await Write(ctx.Http, 200, "application/atom+xml;type=feed;charset=utf-8",
                AtomWriter.Feed(ctx, set, selfPath, page.Entries, page.Count, next, expand), version);
    }

    private static async Task WriteEntry(RequestContext ctx, EntitySetDefinition set, object entity, bool json, int status, ExpandClause? expand = null)
    {
        if (json)
            await Write(ctx.Http, status, JsonType, JsonWriter.Entry(ctx, set, entity, expand));
        else
            await Write(ctx.Http, status, "application/atom+xml;type=entry;charset=utf-8", AtomWriter.Entry(ctx, set, entity, expand));
    }

    /// <summary>An expansion writes entries of other sets: the account must be allowed to read each of them.</summary>
    private static void RequireExpanded(RequestContext ctx, ExpandClause? expand)
    {
        foreach (var target in expand?.TargetSets ?? Enumerable.Empty<EntitySetDefinition>())
            Require(ctx, target.ReadRole, $"read {target.Name}");
    }

    /// <summary>The next page's address (relative to the service root): the same query with the page's skip token.</summary>
    private static string NextLink(HttpRequest request, string selfPath, PageResult page)
    {
        var parts = request.Query
            .Where(q => q.Key is not ("$skiptoken" or "$skip" or "$top" or "$inlinecount"))
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .ToList();
        if (page.RemainingTop is { } top)
            parts.Add($"$top={top}");
        if (page.RemainingSkip > 0)
            parts.Add($"$skip={page.RemainingSkip}");
        parts.Add("$skiptoken=" + Uri.EscapeDataString(page.NextSkipToken!));
        return selfPath + "?" + string.Join("&", parts);
    }

    private static void Require(RequestContext ctx, WebServiceRole needed, string action)
    {
        if (ctx.Role < needed)
            throw SmaErrors.WebAccessDenied(ctx.Account, ctx.Role.ToString(), action, needed.ToString());
    }

    private static void RequireMethod(string method, string resource, string allowed)
    {
        if (method != allowed && !(method == "HEAD" && allowed == "GET"))
            throw NotAllowed(method, resource, allowed);
    }

    private static SmaException NotAllowed(string method, string resource, string allowed) =>
        new("MethodNotAllowed", System.Management.Automation.ErrorCategory.InvalidOperation,
            $"{resource} does not accept {method} requests; it accepts {allowed.Trim(',', ' ')}.", allowed.Trim(',', ' '));

    /// <summary>The method, honouring X-HTTP-Method on POST (clients tunnel MERGE, PUT and DELETE through it).</summary>
    private static string Method(HttpRequest request)
    {
        var method = request.Method.ToUpperInvariant();
        var tunneled = request.Headers["X-HTTP-Method"].ToString().ToUpperInvariant();
        return method == "POST" && tunneled is "MERGE" or "PUT" or "DELETE" or "PATCH" ? tunneled : method;
    }

    private static async Task<byte[]> ReadBody(HttpContext http)
    {
        var limit = MaxBody(http);
        if (http.Request.ContentLength > limit)
            throw SmaErrors.WebBodyTooLarge(limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
                throw SmaErrors.WebBodyTooLarge(limit);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static long MaxBody(HttpContext http) =>
        http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? ServerOptions.DefaultMaxBodyBytes;

    public static bool WantsJson(HttpRequest request)
    {
        var format = request.Query["$format"].ToString();
        if (format.Length > 0)
            return format.StartsWith("json", StringComparison.OrdinalIgnoreCase) || format.Contains("/json", StringComparison.OrdinalIgnoreCase);
        var accept = request.Headers.Accept.ToString();
        var jsonAt = accept.IndexOf("application/json", StringComparison.OrdinalIgnoreCase);
        if (jsonAt < 0)
            return false;
        var xmlAt = accept.IndexOf("xml", StringComparison.OrdinalIgnoreCase);
        return xmlAt < 0 || jsonAt < xmlAt;
    }

    private const string JsonType = "application/json;odata=verbose;charset=utf-8";

    private static string ServiceRoot(HttpRequest request) => $"{request.Scheme}://{request.Host}{Root}/";

    public static async Task WriteError(HttpContext http, bool json, SmaException error, int? status = null)
    {
        if (http.Response.HasStarted)
            return;
        http.Response.StatusCode = status ?? ODataErrors.Status(error);
        var body = json ? JsonWriter.Error(error.ErrorId, error.Message, error.Category.ToString()) : AtomWriter.Error(error.ErrorId, error.Message);
        await Write(http, http.Response.StatusCode, json ? JsonType : "application/xml;charset=utf-8", body);
    }

    private static async Task Write(HttpContext http, int status, string contentType, byte[] body, string version = "2.0;")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.Headers["DataServiceVersion"] = version;
        http.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>The error for a path outside the service (not under its root).</summary>
    public static Task NotFound(HttpContext http) =>
        WriteError(http, WantsJson(http.Request), SmaErrors.WebResourceNotFound(http.Request.Path.Value ?? "/"));
}

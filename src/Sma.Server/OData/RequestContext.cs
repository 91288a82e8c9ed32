using Microsoft.AspNetCore.Http;
using Sma.Engine;
using Sma.Engine.Model;
using Sma.Engine.Services;

namespace Sma.Server.OData;

/// <summary>One request as the service layer sees it: the store's runtime, who asks, and where the service lives.</summary>
internal sealed class RequestContext
{
    public RequestContext(HttpContext http, SmaRuntime runtime, string account, WebServiceRole role, string serviceRoot)
    {
        Http = http;
        Runtime = runtime;
        Account = account;
        Role = role;
        ServiceRoot = serviceRoot;
    }

    public HttpContext Http { get; }
    public SmaRuntime Runtime { get; }

    /// <summary>The signed-in account's name: recorded as who started, stopped, suspended or resumed a job.</summary>
    public string Account { get; }

    public WebServiceRole Role { get; }

    /// <summary>The absolute service root, ending with '/': <c>https://host:9090/00000000-0000-0000-0000-000000000000/</c>.</summary>
    public string ServiceRoot { get; }

    public JobService Jobs => new(Runtime);
    public RunbookService Runbooks => new(Runtime);
    public AssetService Assets => new(Runtime);
    public ScheduleService Schedules => new(Runtime);
    public ModuleService Modules => new(Runtime);

    /// <summary>The request body, read once (bounded by the server's limit).</summary>
    public byte[] Body { get; set; } = Array.Empty<byte>();
}

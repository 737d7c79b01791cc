using CloudCredentials.Emulator.Internal.Signing;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>
/// Routes the AWS requests, which share the port (and <c>/latest/api/token</c> and <c>/</c>) with the Alibaba services:
/// a token PUT carrying the AWS TTL header, <c>/latest/meta-data/iam/…</c>, the container path, and STS calls at <c>/</c>.
/// Counts each request, plays a queued fault, then lets the endpoint answer.
/// </summary>
internal sealed class AwsRouter
{
    private const string RoleListWithoutSlash = "/latest/meta-data/iam/security-credentials";

    private readonly EmulatorSettings _settings;
    private readonly AwsEmulatorStats _stats;
    private readonly FaultPlayer _faults;
    private readonly AwsImdsEndpoints _imds;
    private readonly AwsContainerEndpoint _container;
    private readonly AwsStsEndpoint _sts;

    public AwsRouter(EmulatorSettings settings, AwsEmulatorStats stats, FaultPlayer faults)
    {
        _settings = settings;
        _stats = stats;
        _faults = faults;
        var issued = new IssuedCredentialStore(settings.TimeProvider, aws: true);
        _imds = new AwsImdsEndpoints(settings, new MetadataTokenStore(settings.TimeProvider), issued, stats);
        _container = new AwsContainerEndpoint(settings, issued, stats);
        _sts = new AwsStsEndpoint(settings, issued, stats);
    }

    /// <summary>Answers an AWS metadata or container request; <see langword="null"/> when <paramref name="path"/> is not one.</summary>
    public async Task<string?> TryDispatchAsync(HttpContext context, string path)
    {
        bool get = HttpMethods.IsGet(context.Request.Method);
        if (string.Equals(path, MetadataEndpoints.TokenPath, StringComparison.Ordinal) && AwsImdsEndpoints.IsAwsTokenRequest(context))
        {
            if (HttpMethods.IsPut(context.Request.Method))
            {
                _stats.OnImdsTokenPut(AwsImdsEndpoints.ReadTtl(context));
            }

            await RunAsync(context, EmulatorService.AwsImdsToken, _imds.HandleTokenAsync).ConfigureAwait(false);
            return "AWS IMDS token";
        }

        if (path is AwsImdsEndpoints.RoleListPath or RoleListWithoutSlash)
        {
            if (get)
            {
                _stats.OnImdsGet(roleList: true, AwsImdsEndpoints.HasTokenHeader(context));
            }

            await RunAsync(context, EmulatorService.AwsImdsRoleList, _imds.HandleRoleListAsync).ConfigureAwait(false);
            return "AWS IMDS role list";
        }

        if (path.StartsWith(AwsImdsEndpoints.RoleListPath, StringComparison.Ordinal) && path.IndexOf('/', AwsImdsEndpoints.RoleListPath.Length) < 0)
        {
            if (get)
            {
                _stats.OnImdsGet(roleList: false, AwsImdsEndpoints.HasTokenHeader(context));
            }

            string role = path[AwsImdsEndpoints.RoleListPath.Length..];
            await RunAsync(context, EmulatorService.AwsImdsCredentials, c => _imds.HandleCredentialsAsync(c, role)).ConfigureAwait(false);
            return "AWS IMDS credentials";
        }

        if (string.Equals(path, _settings.Aws.ContainerPath, StringComparison.Ordinal))
        {
            _stats.OnContainerGet();
            await RunAsync(context, EmulatorService.AwsContainer, _container.HandleAsync).ConfigureAwait(false);
            return "AWS container";
        }

        return null;
    }

    /// <summary>Answers an STS Query API call at <c>/</c> (see <see cref="AwsStsEndpoint.IsAws"/>).</summary>
    public async Task<string> HandleStsAsync(HttpContext context, StsRequest form, CapturedRequest request)
    {
        string? action = form.Get("Action");
        _stats.OnStsRequest(action);
        await RunAsync(context, EmulatorService.AwsSts, c => _sts.HandleAsync(c, form, request)).ConfigureAwait(false);
        return action is "AssumeRole" or "AssumeRoleWithWebIdentity" or "GetCallerIdentity" ? "AWS STS " + action : "AWS STS (other action)";
    }

    private async Task RunAsync(HttpContext context, EmulatorService service, Func<HttpContext, Task> handler)
    {
        if (!await _faults.TryPlayAsync(context, service).ConfigureAwait(false))
        {
            await handler(context).ConfigureAwait(false);
        }
    }
}

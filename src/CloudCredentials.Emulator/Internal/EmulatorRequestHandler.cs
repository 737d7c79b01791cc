using System.Globalization;
using CloudCredentials.Emulator.Internal.AcsV3;
using CloudCredentials.Emulator.Internal.Aws;
using CloudCredentials.Emulator.Internal.Signing;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// The one terminal middleware: finds the service a request is for, counts it, plays a queued fault if any, then lets the
/// service answer. Routing by hand (no endpoint routing) keeps 404/405 answers exactly as the real services give them.
/// </summary>
internal sealed class EmulatorRequestHandler
{
    private const string CredentialsPrefix = MetadataEndpoints.RoleListPath;
    private const string RoleListPathWithoutSlash = "/latest/meta-data/ram/security-credentials";

    private readonly EmulatorSettings _settings;
    private readonly EmulatorStats _stats;
    private readonly FaultPlayer _faults;
    private readonly MetadataEndpoints _metadata;
    private readonly AcsV3Endpoint _acsV3;
    private readonly AwsRouter _aws;
    private readonly StsEndpoint _sts;
    private readonly CredentialsUriEndpoint _credentialsUri;
    private readonly ControlEndpoints _control;
    private readonly CancellationToken _stopping;

    public EmulatorRequestHandler(EmulatorSettings settings, EmulatorStats stats, FaultQueue faults, CancellationToken stopping)
    {
        _settings = settings;
        _stats = stats;
        _faults = new FaultPlayer(faults, stats, stopping);
        _stopping = stopping;
        var issued = new IssuedCredentialStore(settings.TimeProvider);
        _metadata = new MetadataEndpoints(settings, new MetadataTokenStore(settings.TimeProvider), issued, stats);
        _sts = new StsEndpoint(settings, issued, new NonceStore(settings.TimeProvider), stats);
        _acsV3 = new AcsV3Endpoint(
            new AcsV3Authenticator(settings, new AlibabaKeyResolver(settings, issued), new NonceStore(settings.TimeProvider)), new StsResponses(settings, issued, stats));
        _aws = new AwsRouter(settings, stats.Aws, _faults);
        _credentialsUri = new CredentialsUriEndpoint(settings, issued, stats);
        _control = new ControlEndpoints(faults, stats);
    }

    public async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.HasValue ? context.Request.Path.Value! : "/";
        string label;
        try
        {
            label = await DispatchAsync(context, path).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            context.Abort();
            label = "aborted";
        }

        if (_settings.RequestLog is { } log)
        {
            string status = context.RequestAborted.IsCancellationRequested ? "aborted" : context.Response.StatusCode.ToString(CultureInfo.InvariantCulture);
            log(string.Create(
                CultureInfo.InvariantCulture,
                $"{Responses.FormatTime(_settings.TimeProvider.GetUtcNow())} {context.Request.Method} {path} [{label}] -> {status}"));
        }
    }

    private async Task<string> DispatchAsync(HttpContext context, string path)
    {
        if (path == "/" || path.Length == 0)
        {
            return await DispatchRootAsync(context).ConfigureAwait(false);
        }

        if (await _aws.TryDispatchAsync(context, path).ConfigureAwait(false) is { } awsLabel)
        {
            return awsLabel;
        }

        if (AcsV3Endpoint.IsEcho(path))
        {
            CapturedRequest echo = await CapturedRequest.ReadAsync(context).ConfigureAwait(false);
            _stats.OnRoaEcho();
            if (!await TryPlayFaultAsync(context, EmulatorService.RoaEcho).ConfigureAwait(false))
            {
                await _acsV3.HandleEchoAsync(context, echo).ConfigureAwait(false);
            }

            return "ROA echo";
        }

        if (string.Equals(path, MetadataEndpoints.TokenPath, StringComparison.Ordinal))
        {
            if (HttpMethods.IsPut(context.Request.Method))
            {
                _stats.OnTokenPut(MetadataEndpoints.ReadTtl(context));
            }

            if (!await TryPlayFaultAsync(context, EmulatorService.MetadataToken).ConfigureAwait(false))
            {
                await _metadata.HandleTokenAsync(context).ConfigureAwait(false);
            }

            return "metadata token";
        }

        if (string.Equals(path, CredentialsPrefix, StringComparison.Ordinal) || string.Equals(path, RoleListPathWithoutSlash, StringComparison.Ordinal))
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                _stats.OnMetadataGet(roleList: true, MetadataEndpoints.HasTokenHeader(context));
            }

            if (!await TryPlayFaultAsync(context, EmulatorService.MetadataRoleList).ConfigureAwait(false))
            {
                await _metadata.HandleRoleListAsync(context).ConfigureAwait(false);
            }

            return "metadata role list";
        }

        if (path.StartsWith(CredentialsPrefix, StringComparison.Ordinal) && path.IndexOf('/', CredentialsPrefix.Length) < 0)
        {
            if (HttpMethods.IsGet(context.Request.Method))
            {
                _stats.OnMetadataGet(roleList: false, MetadataEndpoints.HasTokenHeader(context));
            }

            if (!await TryPlayFaultAsync(context, EmulatorService.MetadataCredentials).ConfigureAwait(false))
            {
                await _metadata.HandleCredentialsAsync(context, path[CredentialsPrefix.Length..]).ConfigureAwait(false);
            }

            return "metadata credentials";
        }

        if (string.Equals(path, _settings.CredentialsUriPath, StringComparison.Ordinal))
        {
            _stats.OnCredentialsUriGet();
            if (!await TryPlayFaultAsync(context, EmulatorService.CredentialsUri).ConfigureAwait(false))
            {
                await _credentialsUri.HandleAsync(context).ConfigureAwait(false);
            }

            return "credentials URI";
        }

        if (path.StartsWith(ControlEndpoints.Prefix + "/", StringComparison.Ordinal))
        {
            await _control.HandleAsync(context, path).ConfigureAwait(false);
            return "control";
        }

        if (path.StartsWith("/latest/", StringComparison.Ordinal))
        {
            await Responses.WriteNotFoundPageAsync(context).ConfigureAwait(false);
            return "metadata (unknown path)";
        }

        await Responses.WriteTextAsync(context, 404, "Not found. This emulator serves STS (Alibaba and AWS) at /, instance metadata under /latest/, the credentials URI at "
            + _settings.CredentialsUriPath + ", the AWS container endpoint at " + _settings.Aws.ContainerPath + ", the V3 echo under " + AcsV3Endpoint.EchoPrefix
            + "/ and its control API under " + ControlEndpoints.Prefix + "/.").ConfigureAwait(false);
        return "unknown";
    }

    /// <summary>
    /// <c>/</c>: AWS STS (<c>Version=2011-06-15</c> or SigV4), Alibaba STS V3 (<c>x-acs-action</c> / <c>ACS3-HMAC-SHA256</c>),
    /// else Alibaba STS RPC V2 (<c>AssumeRole</c>, <c>AssumeRoleWithOIDC</c>).
    /// </summary>
    private async Task<string> DispatchRootAsync(HttpContext context)
    {
        CapturedRequest raw = await CapturedRequest.ReadAsync(context).ConfigureAwait(false);
        StsRequest request = await StsRequest.ReadAsync(context).ConfigureAwait(false);
        if (AwsStsEndpoint.IsAws(request, raw))
        {
            return await _aws.HandleStsAsync(context, request, raw).ConfigureAwait(false);
        }

        bool v3 = AcsV3Endpoint.IsV3(raw);
        StsRequestRecord record = request.ToRecord(v3 ? raw.Header("x-acs-action") : null);
        _stats.OnStsRequest(record);
        if (!await TryPlayFaultAsync(context, v3 ? EmulatorService.StsV3 : EmulatorService.Sts).ConfigureAwait(false))
        {
            await (v3 ? _acsV3.HandleRpcAsync(context, raw) : _sts.HandleAsync(context, request)).ConfigureAwait(false);
        }

        return v3 ? "STS V3 " + (record.Action ?? "(no action)")
            : record.Action is "AssumeRole" or "AssumeRoleWithOIDC" ? "STS " + record.Action : "STS (other action)";
    }

    private Task<bool> TryPlayFaultAsync(HttpContext context, EmulatorService service) => _faults.TryPlayAsync(context, service);
}

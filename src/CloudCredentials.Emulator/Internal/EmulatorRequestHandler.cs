using System.Globalization;
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
    private readonly FaultQueue _faults;
    private readonly MetadataEndpoints _metadata;
    private readonly StsEndpoint _sts;
    private readonly CredentialsUriEndpoint _credentialsUri;
    private readonly ControlEndpoints _control;
    private readonly CancellationToken _stopping;

    public EmulatorRequestHandler(EmulatorSettings settings, EmulatorStats stats, FaultQueue faults, CancellationToken stopping)
    {
        _settings = settings;
        _stats = stats;
        _faults = faults;
        _stopping = stopping;
        var issued = new IssuedCredentialStore(settings.TimeProvider);
        _metadata = new MetadataEndpoints(settings, new MetadataTokenStore(settings.TimeProvider), issued, stats);
        _sts = new StsEndpoint(settings, issued, new NonceStore(settings.TimeProvider), stats);
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
            StsRequest request = await StsRequest.ReadAsync(context).ConfigureAwait(false);
            StsRequestRecord record = request.ToRecord();
            _stats.OnStsRequest(record);
            string label = record.Action is "AssumeRole" or "AssumeRoleWithOIDC" ? "STS " + record.Action : "STS (other action)";
            if (!await TryPlayFaultAsync(context, EmulatorService.Sts).ConfigureAwait(false))
            {
                await _sts.HandleAsync(context, request).ConfigureAwait(false);
            }

            return label;
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

        await Responses.WriteTextAsync(context, 404, "Not found. This emulator serves STS at /, ECS metadata under /latest/, the credentials URI at "
            + _settings.CredentialsUriPath + " and its control API under " + ControlEndpoints.Prefix + "/.").ConfigureAwait(false);
        return "unknown";
    }

    /// <summary>Plays the next queued fault for <paramref name="service"/>; true when the response is finished (or dropped).</summary>
    private async Task<bool> TryPlayFaultAsync(HttpContext context, EmulatorService service)
    {
        if (_faults.TryTake(service) is not { } fault)
        {
            return false;
        }

        _stats.OnFaultServed();
        switch (fault.Kind)
        {
            case EmulatorFaultKind.Delay:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping))
                {
                    await Task.Delay(fault.DelayTime, linked.Token).ConfigureAwait(false);
                }

                return false;
            case EmulatorFaultKind.Drop:
                context.Abort();
                return true;
            case EmulatorFaultKind.StsError:
                await PopError.WriteAsync(context, fault.StatusCode, fault.ErrorCode!, fault.ErrorMessage!).ConfigureAwait(false);
                return true;
            default:
                await Responses.WriteTextAsync(context, fault.StatusCode, fault.Body ?? string.Empty, fault.ContentType).ConfigureAwait(false);
                return true;
        }
    }
}

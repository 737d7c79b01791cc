using Microsoft.Extensions.Logging;

namespace CloudCredentials.Signing;

/// <summary>
/// Signs every attempt of a request with Alibaba Cloud OpenAPI signature V3 (<see cref="AcsV3Signer"/>) and the current
/// credential. Add it with <c>AddAlibabaCloudSigning()</c>, after any resilience handler.
/// </summary>
public sealed class AlibabaCloudSigningHandler : SigningHandler
{
    private readonly AlibabaCloudSigningOptions _options;

    /// <summary>Creates the handler.</summary>
    /// <param name="credentials">The credential source asked on every attempt.</param>
    /// <param name="options">The defaults for action and version.</param>
    /// <param name="timeProvider">The clock for <c>x-acs-date</c>, or <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    public AlibabaCloudSigningHandler(ICredentialSource credentials, AlibabaCloudSigningOptions options, TimeProvider? timeProvider = null, ILogger<AlibabaCloudSigningHandler>? logger = null)
        : base(credentials, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    private protected override string Algorithm => AcsV3Signer.Algorithm;

    private protected override void Sign(HttpRequestMessage request, string payloadHash, CloudCredential credential, DateTimeOffset time)
    {
        ApplyDefault(request, AcsV3RequestSigning.ActionHeader, AcsRequestOptions.Action, _options.DefaultAction);
        ApplyDefault(request, AcsV3RequestSigning.VersionHeader, AcsRequestOptions.Version, _options.DefaultVersion);
        AcsV3Signer.SignWithPayloadHash(request, payloadHash, credential, time);
    }

    private static void ApplyDefault(HttpRequestMessage request, string header, HttpRequestOptionsKey<string> key, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !request.Headers.Contains(header) && !request.Options.TryGetValue(key, out _))
        {
            request.Options.Set(key, value);
        }
    }
}

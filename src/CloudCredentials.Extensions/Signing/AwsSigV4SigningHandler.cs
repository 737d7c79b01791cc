using Microsoft.Extensions.Logging;

namespace CloudCredentials.Signing;

/// <summary>
/// Signs every attempt of a request with AWS Signature Version 4 (<see cref="SigV4Signer"/>) and the current credential.
/// Add it with <c>AddAwsSigV4Signing(service, region)</c>, after any resilience handler.
/// </summary>
public sealed class AwsSigV4SigningHandler : SigningHandler
{
    private readonly SigV4Signer _signer;

    /// <summary>Creates the handler.</summary>
    /// <param name="credentials">The credential source asked on every attempt.</param>
    /// <param name="options">The service, region and payload settings.</param>
    /// <param name="timeProvider">The clock for <c>x-amz-date</c>, or <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The service or region is empty.</exception>
    public AwsSigV4SigningHandler(ICredentialSource credentials, AwsSigV4SigningOptions options, TimeProvider? timeProvider = null, ILogger<AwsSigV4SigningHandler>? logger = null)
        : base(credentials, timeProvider, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var signer = new SigV4Signer(options.Service, options.Region) { UseUnsignedPayload = options.UseUnsignedPayload };
        _signer = options.SetContentSha256Header is { } set ? signer.WithContentSha256Header(set) : signer;
    }

    private protected override string Algorithm => SigV4Signer.Algorithm;

    private protected override bool HashesBody => !_signer.UseUnsignedPayload;

    private protected override void Sign(HttpRequestMessage request, string payloadHash, CloudCredential credential, DateTimeOffset time)
        => _signer.SignWithPayloadHash(request, _signer.UseUnsignedPayload ? SigV4Signer.UnsignedPayload : payloadHash, credential, time);
}

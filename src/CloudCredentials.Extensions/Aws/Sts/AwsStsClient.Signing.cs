using System.Collections.Concurrent;
using CloudCredentials.Signing;

namespace CloudCredentials.Aws.Sts;

internal sealed partial class AwsStsClient
{
    /// <summary>One signer per signing region (each caches its derived key per day).</summary>
    private static readonly ConcurrentDictionary<string, SigV4Signer> Signers = new(StringComparer.Ordinal);

    /// <summary>Signs the form POST with SigV4 (service <c>sts</c>) at the current time; called again before every retry.</summary>
    private void Sign(HttpRequestMessage message, AwsStsEndpoint endpoint, CloudCredential source, byte[] body)
    {
        SigV4Signer signer = Signers.GetOrAdd(endpoint.SigningRegion, static region => new SigV4Signer("sts", region));
        signer.Sign(message, body, source, _timeProvider.GetUtcNow());
    }
}

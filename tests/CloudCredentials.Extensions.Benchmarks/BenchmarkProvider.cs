namespace CloudCredentials.Benchmarks;

/// <summary>Returns a one-hour STS credential (never called on the measured path once the cache is warm).</summary>
internal sealed class BenchmarkProvider : ICredentialProvider
{
    public string ProviderName => "benchmark";

    public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) =>
        new(new CloudCredential(CredentialTypes.Sts, ProviderName)
        {
            AccessKeyId = "STS.benchmark",
            AccessKeySecret = "benchmark-secret",
            SecurityToken = "benchmark-token",
            Expiration = TimeProvider.System.GetUtcNow().AddHours(1),
        });
}

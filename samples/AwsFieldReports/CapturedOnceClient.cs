using CloudCredentials.Signing;

namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>
/// The anti-pattern of field report 3, kept only to show what it does: a client that asks for a credential once, in its
/// factory, and signs every later request with that object. The CC0001 analyzer reports the field below at build time;
/// it is silenced here on purpose. Never write this.
/// </summary>
internal sealed class CapturedOnceClient
{
#pragma warning disable CC0001 // Deliberate: this class demonstrates the failure CC0001 exists to prevent.
    private readonly CloudCredential _credential;
#pragma warning restore CC0001
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly SigV4Signer _signer = new("sts", "us-east-1");

    private CapturedOnceClient(CloudCredential credential, HttpClient http, TimeProvider time)
    {
        _credential = credential;
        _http = http;
        _time = time;
    }

    /// <summary>Gets the masked key id the client captured.</summary>
    public string KeyId => CloudCredential.MaskAccessKeyId(_credential.AccessKeyId);

    /// <summary>Asks once, like <c>getCredentials()</c> in a constructor.</summary>
    public static async Task<CapturedOnceClient> CreateAsync(ICredentialSource source, HttpClient unsignedHttp, TimeProvider time)
        => new(await source.GetCredentialAsync(), unsignedHttp, time);

    /// <summary>Signs STS GetCallerIdentity with the captured credential.</summary>
    public Task<StsAnswer> GetCallerIdentityAsync() => SampleHost.GetCallerIdentityAsync(_http, request =>
    {
        byte[] body = request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        _signer.Sign(request, body, _credential, _time.GetUtcNow());
        return request;
    });
}

using CloudCredentials.Tests.TestSupport;



namespace CloudCredentials.Tests.Alibaba.CredentialsUri;

/// <summary>Issue 9 item 8: a credentials-URI error answer is quoted only by its Code, Message and RequestId, with secrets masked.</summary>
public sealed class CredentialsUriErrorQuotingTests
{
    private const string Secret = "cu-answer-secret-Hb73";
    private const string Token = "cu-answer-token-Ds26";

    [Fact]
    public async Task CodeNotSuccess_MessageQuotingASecret_SecretIsNotInExceptionLogsOrHealth()
    {
        string body = $$"""{"Code":"Revoked","Message":"credential {{Secret}} / {{Token}} was revoked","AccessKeyId":"STS.cu","AccessKeySecret":"{{Secret}}","SecurityToken":"{{Token}}","Expiration":"2026-01-01T06:00:00Z"}""";
        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(_ => (200, body));
        await using SecretScanHost host = SecretScanHost.Create(o =>
        {
            o.Type = "credentials_uri";
            o.CredentialsUri = server.BaseUrl + "/creds";
        });

        CredentialUnavailableException ex = await host.FailAsync();

        ex.Message.Should().Contain("Code Revoked").And.Contain("credential *** / *** was revoked");
        host.AssertNowhere(ex, Secret, Token);
    }
}

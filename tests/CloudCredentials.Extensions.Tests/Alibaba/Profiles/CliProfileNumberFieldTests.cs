using CloudCredentials.Tests.TestSupport;



namespace CloudCredentials.Tests.Alibaba.Profiles;

/// <summary>Issue 9 item 8: a profile field that is not a number is named, its value never echoed (it may be a secret).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class CliProfileNumberFieldTests : IDisposable
{
    private const string SsoToken = "sso-access-token-Mn58";

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task NumberFieldHoldingAToken_FieldIsNamedButItsValueIsNotInExceptionLogsOrHealth()
    {
        _env.WriteHomeFile(Path.Combine(".aliyun", "config.json"), $$"""
            {"current":"sso","profiles":[{"name":"sso","mode":"CloudSSO",
              "cloud_sso_sign_in_url":"https://signin.example.com/login","cloud_sso_account_id":"1","cloud_sso_access_config":"ac-1",
              "access_token":"{{SsoToken}}","cloud_sso_access_token_expire":"{{SsoToken}}"}]}
            """);
        await using SecretScanHost host = SecretScanHost.Create(_ => { });

        CredentialUnavailableException ex = await host.FailAsync();

        ex.Message.Should().Contain("field 'cloud_sso_access_token_expire' of profile 'sso' must be a number");
        host.AssertNowhere(ex, SsoToken);
    }
}

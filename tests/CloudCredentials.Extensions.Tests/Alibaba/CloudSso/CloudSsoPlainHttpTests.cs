using System.Net;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.Alibaba.CloudSso;

/// <summary>Issue 9 item 10: a CloudSSO profile's sign-in URL follows the plain-http rule of STS and credentials URIs.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class CloudSsoPlainHttpTests : IDisposable
{
    private const string AccessToken = "sso-plain-access-token-Gh71";

    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task SignInUrl_PlainHttpToAPublicHost_FetchFailsWithTheAdviceAndSendsNothing()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody);
        WriteProfile("http://signin.example.com/device/login");
        await using SecretScanHost host = SecretScanHost.Create(_ => { }, after: services => StubSignIn(services, stub));

        CredentialUnavailableException ex = await host.FailAsync();

        ex.Message.Should().Contain("profile 'sso'").And.Contain("cloud_sso_sign_in_url")
            .And.Contain("http://signin.example.com/device/login uses plain http to signin.example.com")
            .And.Contain("add the host to AllowedHttpHosts");
        stub.Calls.Should().Be(0, "the SSO access token must not be sent unencrypted");
        host.AssertNowhere(ex, AccessToken);
    }

    [Fact]
    public async Task SignInUrl_PlainHttpToAnAllowedHost_IsCalled()
    {
        var stub = new StubHandler().ThenStatus(HttpStatusCode.OK, SuccessBody);
        WriteProfile("http://signin.example.com/device/login");
        await using SecretScanHost host = SecretScanHost.Create(o => o.AllowedHttpHosts.Add("signin.example.com"), after: services => StubSignIn(services, stub));

        CloudCredential credential = await host.Source.GetCredentialAsync();

        credential.AccessKeyId.Should().Be("STS.sso-plain");
        stub.Requests.Should().ContainSingle().Which.Uri.Should().Be(new Uri("http://signin.example.com/cloud-credentials"));
    }

    private const string SuccessBody =
        """{"CloudCredential":{"AccessKeyId":"STS.sso-plain","AccessKeySecret":"sso-plain-secret","SecurityToken":"sso-plain-token","Expiration":"2099-01-01T00:00:00Z"}}""";

    private static void StubSignIn(IServiceCollection services, StubHandler stub) =>
        services.AddHttpClient("CloudCredentials.SignIn").ConfigurePrimaryHttpMessageHandler(() => stub);

    private void WriteProfile(string signInUrl) =>
        _env.WriteHomeFile(Path.Combine(".aliyun", "config.json"), $$"""
            {"current":"sso","profiles":[{"name":"sso","mode":"CloudSSO","cloud_sso_sign_in_url":"{{signInUrl}}",
              "cloud_sso_account_id":"1","cloud_sso_access_config":"ac-1","access_token":"{{AccessToken}}","cloud_sso_access_token_expire":4102444800}]}
            """);
}

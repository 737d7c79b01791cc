using System.Net;
using CloudCredentials.Alibaba.CredentialsUri;
using CloudCredentials.Emulator;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.CredentialsUri;

/// <summary>Credentials URI through IHttpClientFactory, the resilience handler and the emulator.</summary>
public sealed class CredentialsUriEmulatorIntegrationTests
{
    [Fact]
    public async Task CredentialsUri_Emulator_ReturnsCredential()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        CredentialsUriProvider.ValidateUri(h.Emulator.CredentialsUri.ToString(), []).Should().BeNull();

        CloudCredential credential = await h.FetchAsync(h.CredentialsUri());

        credential.Type.Should().Be("credentials_uri");
        credential.ProviderName.Should().Be("credential_uri");
        credential.Expiration.Should().Be(h.Time.GetUtcNow() + TimeSpan.FromHours(1));
        h.Emulator.Stats.CredentialsUriGets.Should().Be(1);
    }

    [Fact]
    public async Task CredentialsUri_500Once_Retried()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Status(500, """{"Code":"InternalError"}"""));

        await h.FetchAsync(h.CredentialsUri());

        h.Emulator.Stats.CredentialsUriGets.Should().Be(2);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(500)]
    public async Task CredentialsUri_Non200_FailsWithStatusAndCode(int status)
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Status(status, """{"Code":"Broken","Message":"upstream broken"}"""), count: 10);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.CredentialsUri());

        ex.ProviderName.Should().Be("credential_uri");
        ex.StatusCode.Should().Be((HttpStatusCode)status);
        ex.ErrorCode.Should().Be("Broken");
        ex.Endpoint.Should().Be(h.Emulator.CredentialsUri.ToString());
        ex.Message.Should().Contain("GET " + h.Emulator.CredentialsUri).And.Contain(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("Broken");
    }

    [Fact]
    public async Task CredentialsUri_CodeNotSuccess_Fails()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Status(
            200,
            """{"Code":"Denied","AccessKeyId":"STS.x","AccessKeySecret":"DeniedSecretValue","SecurityToken":"DeniedTokenValue","Expiration":"2026-05-01T01:00:00Z"}"""));
        h.Secrets.AddRange(["DeniedSecretValue", "DeniedTokenValue"]);

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.CredentialsUri());

        ex.ErrorCode.Should().Be("Denied");
        ex.Message.Should().Contain("Code Denied instead of Success");
    }

    [Fact]
    public async Task CredentialsUri_MissingFields_Fails()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Status(200, """{"Code":"Success","AccessKeyId":"STS.x","AccessKeySecret":"HalfSecretValue"}"""));
        h.Secrets.Add("HalfSecretValue");

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.CredentialsUri());

        ex.Message.Should().Contain("lacks SecurityToken, Expiration");
    }

    [Fact]
    public async Task CredentialsUri_Garbage_Fails()
    {
        await using EmulatorFixture h = await EmulatorFixture.StartClientsAsync();
        h.Emulator.InjectFault(EmulatorService.CredentialsUri, EmulatorFault.Garbage());

        CredentialUnavailableException ex = await h.FetchFailsAsync(h.CredentialsUri());

        ex.Message.Should().Contain("not a JSON object");
    }

    [Fact]
    public void ValidateUri_EmulatorOnNonLoopbackHostOverHttp_Rejected()
    {
        CredentialsUriProvider.ValidateUri("http://credentials.example.com:8080/credentials", []).Should().Contain("plain http");
    }
}

using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

[Collection(EnvironmentCollection.Name)]
public sealed class EnvironmentVariablesProviderTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task FetchAsync_NothingSet_NamesVariable()
    {
        Func<Task> act = async () => await new EnvironmentVariablesProvider().FetchAsync(default);
        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Be("env: ALIBABA_CLOUD_ACCESS_KEY_ID is not set");
    }

    [Fact]
    public async Task FetchAsync_OnlyId_NamesSecretVariable()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "id");
        Func<Task> act = async () => await new EnvironmentVariablesProvider().FetchAsync(default);
        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not");
    }

    [Fact]
    public async Task FetchAsync_WhitespaceCountsAsUnset()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "  ").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s");
        Func<Task> act = async () => await new EnvironmentVariablesProvider().FetchAsync(default);
        await act.Should().ThrowAsync<CredentialUnavailableException>();
    }

    [Fact]
    public async Task FetchAsync_AccessKey_AndWithToken()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "id").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s");
        CloudCredential ak = await new EnvironmentVariablesProvider().FetchAsync(default);
        ak.Type.Should().Be("access_key");
        ak.ProviderName.Should().Be("env");

        _env.Set("ALIBABA_CLOUD_SECURITY_TOKEN", "tok");
        CloudCredential sts = await new EnvironmentVariablesProvider().FetchAsync(default);
        sts.Type.Should().Be("sts");
        sts.SecurityToken.Should().Be("tok");
    }
}

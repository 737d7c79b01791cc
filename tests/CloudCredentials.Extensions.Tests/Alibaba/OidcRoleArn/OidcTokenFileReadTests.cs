using CloudCredentials.Alibaba.OidcRoleArn;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.OidcRoleArn;

/// <summary>The OIDC token is read only from a regular file of at most 64 KiB; STS is never asked otherwise.</summary>
public sealed class OidcTokenFileReadTests : IDisposable
{
    private readonly SessionTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static OidcRoleArnProvider Provider(string tokenFile) => new(
        new OidcRoleArnSpec(new RoleSessionParameters("acs:ram::1:role/app", "s", 3600, null, new Uri("http://127.0.0.1:9/")), "acs:ram::1:oidc-provider/p", tokenFile),
        () => throw new InvalidOperationException("STS must not be called when the token file cannot be read"));

    [UnixOnlyFact]
    public async Task FetchAsync_TokenFileIsAFifo_FailsFastNamingTheFile()
    {
        string fifo = UnixFiles.MakeFifo(_dir.File("token"));
        OidcRoleArnProvider provider = Provider(fifo);

        CredentialUnavailableException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<CredentialUnavailableException>(
            () => provider.FetchAsync(CancellationToken.None).AsTask());

        ex.ProviderName.Should().Be("oidc_role_arn");
        ex.Message.Should().Contain($"{fifo} is not a regular file (it is a named pipe (FIFO))").And.Contain("ALIBABA_CLOUD_OIDC_TOKEN_FILE");
    }

    [Fact]
    public async Task FetchAsync_TokenFileLargerThan64KiB_FailsNamingTheFile()
    {
        string path = _dir.Write("token", new string('t', 100 * 1024));

        Func<Task> act = async () => await Provider(path).FetchAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message
            .Should().Contain($"{path} is larger than 64 KiB").And.Contain("ALIBABA_CLOUD_OIDC_TOKEN_FILE");
    }
}

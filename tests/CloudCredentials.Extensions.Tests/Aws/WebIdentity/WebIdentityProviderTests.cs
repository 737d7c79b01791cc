using CloudCredentials.Aws.Sts;
using CloudCredentials.Aws.WebIdentity;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.WebIdentity;

/// <summary>Web identity: the token file re-read on every fetch and sent as is; missing/empty file names the path.</summary>
public sealed class WebIdentityProviderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cc-aws-wi-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static ICredentialProvider Provider(LoopbackServer sts, string tokenFile)
        => TestBuildContext.Build(new WebIdentitySpec("arn:aws:iam::1:role/w", tokenFile, null, new AwsStsEndpoint(sts.BaseAddress, "us-east-1"), null, null, "AWS_WEB_IDENTITY_TOKEN_FILE"));

    [Fact]
    public async Task TokenFile_ReReadOnEveryFetch_DefaultSessionName()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRoleWithWebIdentity", DateTimeOffset.UtcNow.AddHours(1))));
        string file = Path.Combine(_dir.FullName, "token");
        await File.WriteAllTextAsync(file, "first-token");
        ICredentialProvider provider = Provider(sts, file);

        (await provider.FetchAsync(CancellationToken.None)).ProviderName.Should().Be("aws/web_identity");
        await File.WriteAllTextAsync(file, "second-token\n");
        await provider.FetchAsync(CancellationToken.None);

        sts.Received.Select(r => r.Form()["WebIdentityToken"]).Should().Equal("first-token", "second-token\n");
        sts.Received[0].Form()["RoleSessionName"].Should().MatchRegex("^cloudcredentials-[0-9]+$");
    }

    [Theory]
    [InlineData(false, "does not exist")]
    [InlineData(true, "is empty")]
    public async Task MissingOrEmptyTokenFile_ErrorNamesThePathAndVariable_NoRequest(bool exists, string expected)
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, ""));
        string file = Path.Combine(_dir.FullName, "token");
        if (exists)
        {
            await File.WriteAllTextAsync(file, "  \n");
        }

        Func<Task> act = () => Provider(sts, file).FetchAsync(CancellationToken.None).AsTask();

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("aws/web_identity");
        ex.Reason.Should().Contain(file).And.Contain("AWS_WEB_IDENTITY_TOKEN_FILE").And.Contain(expected);
        sts.Requests.Should().Be(0);
    }
}

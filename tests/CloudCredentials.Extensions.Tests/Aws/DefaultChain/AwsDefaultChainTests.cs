using CloudCredentials.Aws.DefaultChain;
using CloudCredentials.Aws.Sts;
using CloudCredentials.Credentials;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Aws.DefaultChain;

/// <summary>
/// The AWS default chain: env keys → web identity from env → profile → container → IMDS, by configuration presence,
/// stopping at a configured source that fails; one error listing every provider in order; never a null credential.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsDefaultChainTests : IDisposable
{
    private const string Secret = "ChainSecretAccessKey444";
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static ICredentialChain Chain(CloudCredentialsOptions? options = null)
        => (ICredentialChain)AwsDefaultChainSpec.Resolve(options ?? new CloudCredentialsOptions { Cloud = "aws" }, "CloudCredentials").Build(TestBuildContext.Create());

    private static async Task<CredentialUnavailableException> FailsAsync(ICredentialChain chain)
    {
        CredentialUnavailableException ex = (await FluentActions.Awaiting(() => chain.FetchAsync(CancellationToken.None).AsTask()).Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("aws/default");
        ex.ToString().Should().NotContain(Secret);
        return ex;
    }

    [Fact]
    public void Members_AreTheFiveSourcesInOrder()
        => Chain().Providers.Select(p => p.ProviderName).Should().Equal("aws/env", "aws/web_identity", "aws/profile", "aws/container", "aws/instance_metadata");

    [Fact]
    public async Task EnvKeys_WinOverTheProfile()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENV").Set("AWS_SECRET_ACCESS_KEY", Secret).Set("AWS_SESSION_TOKEN", "TOKENV");
        _env.WriteHomeFile(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = x\n");

        CloudCredential c = await Chain().FetchAsync(CancellationToken.None);

        c.Should().Match<CloudCredential>(x => x.AccessKeyId == "AKIDENV" && x.SecurityToken == "TOKENV" && x.ProviderName == "aws/default/env" && x.Type == "access_key");
    }

    [Fact]
    public async Task OnlyOneEnvKey_StopsTheChain_NamingTheMissingVariable()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENV");
        _env.WriteHomeFile(".aws/credentials", $"[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {Secret}\n");

        CredentialUnavailableException ex = await FailsAsync(Chain());

        ex.Message.Should().Contain("AWS_SECRET_ACCESS_KEY is not").And.Contain("aws/profile: not asked");
    }

    [Fact]
    public async Task DefaultProfile_FromTheSharedFiles()
    {
        _env.WriteHomeFile(".aws/credentials", $"[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {Secret}\n");

        CloudCredential c = await Chain().FetchAsync(CancellationToken.None);

        c.ProviderName.Should().Be("aws/default/profile/static");
        c.AccessKeyId.Should().Be("AKIDFILE");
    }

    [Fact]
    public async Task AwsProfileThenAwsDefaultProfile_AndTheOptionWinsOverBoth()
    {
        string config = Path.Combine(_env.Home, "cfg");
        File.WriteAllText(config, "[profile a]\naws_access_key_id = A\naws_secret_access_key = s\n[profile b]\naws_access_key_id = B\naws_secret_access_key = s\n[profile c]\naws_access_key_id = C\naws_secret_access_key = s\n");
        _env.Set("AWS_CONFIG_FILE", config).Set("AWS_DEFAULT_PROFILE", "c");
        (await Chain().FetchAsync(CancellationToken.None)).AccessKeyId.Should().Be("C");
        _env.Set("AWS_PROFILE", "b");
        (await Chain().FetchAsync(CancellationToken.None)).AccessKeyId.Should().Be("B");
        (await Chain(new CloudCredentialsOptions { Cloud = "aws", Profile = "a" }).FetchAsync(CancellationToken.None)).AccessKeyId.Should().Be("A");
    }

    [Fact]
    public async Task NamedProfileMissing_StopsTheChain_ListingTheProfiles()
    {
        _env.WriteHomeFile(".aws/config", "[default]\nregion = us-east-1\n[profile dev]\nregion = us-east-1\n");
        _env.Set("AWS_PROFILE", "prod").Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");

        CredentialUnavailableException ex = await FailsAsync(Chain());

        ex.Message.Should().Contain("profile 'prod' (from AWS_PROFILE) does not exist").And.Contain("are: default, dev").And.Contain("aws/container: not asked");
    }

    [Fact]
    public async Task NothingConfigured_OneErrorListingEveryProviderInOrder()
    {
        CredentialUnavailableException ex = await FailsAsync(Chain());

        ex.Failures.Select(f => f.ProviderName).Should().Equal("aws/env", "aws/web_identity", "aws/profile", "aws/container", "aws/instance_metadata");
        ex.Message.Should().Contain("AWS_ACCESS_KEY_ID").And.Contain("AWS_WEB_IDENTITY_TOKEN_FILE is not set").And.Contain("neither")
            .And.Contain("AWS_EC2_METADATA_DISABLED").And.Contain("Configure one of them");
    }

    [Fact]
    public async Task DefaultProfileWithoutCredentials_IsNotConfigured_TheChainMovesOn()
    {
        _env.WriteHomeFile(".aws/config", "[default]\nregion = eu-west-1\n");

        CredentialUnavailableException ex = await FailsAsync(Chain());

        ex.Message.Should().Contain("profile 'default' has no credential settings").And.Contain("aws/instance_metadata:").And.NotContain("not asked");
    }

    [Fact]
    public async Task GarbledConfigFile_StopsTheChain_NamingFileAndLine()
    {
        string path = _env.WriteHomeFile(".aws/config", "[default]\nregion = us-east-1\ngarbage line\n");

        CredentialUnavailableException ex = await FailsAsync(Chain());

        ex.Message.Should().Contain(path).And.Contain("line 3");
    }

    [Fact]
    public async Task WebIdentityFromEnv_UsesTheStsEndpointOption()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRoleWithWebIdentity", DateTimeOffset.UtcNow.AddHours(1))));
        string token = _env.WriteHomeFile("token", "jwt");
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", token).Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/w").Set("AWS_ROLE_SESSION_NAME", "pod-1");

        CloudCredential c = await Chain(new CloudCredentialsOptions { Cloud = "aws", StsEndpoint = sts.BaseUrl }).FetchAsync(CancellationToken.None);

        c.ProviderName.Should().Be("aws/default/web_identity");
        sts.Received.Should().ContainSingle().Which.Form().Should().Contain("RoleSessionName", "pod-1");
    }

    [Fact]
    public async Task WebIdentityFromEnv_TakesStsFromTheProfile_EndpointUrlAndRegion()
    {
        // The decisions' STS rule includes the profile's endpoint_url and region, also for web identity from env.
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRoleWithWebIdentity", DateTimeOffset.UtcNow.AddHours(1))));
        string token = _env.WriteHomeFile("token", "jwt");
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", token).Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/w");
        _env.WriteHomeFile(".aws/config", $"[default]\nregion = eu-west-1\nendpoint_url = {sts.BaseUrl}\n");

        CloudCredential c = await Chain().FetchAsync(CancellationToken.None);

        c.ProviderName.Should().Be("aws/default/web_identity");
        sts.Received.Should().ContainSingle();
        AwsStsEndpoint.Resolve((null, "S:StsEndpoint"), (null, "S:Region"), new AwsProfileSpec(new CloudCredentialsOptions { Cloud = "aws" }, "S", Strict: false).StsSettings(), out _)!
            .SigningRegion.Should().Be("eu-west-1");
    }

    [Fact]
    public async Task WebIdentityTokenFileWithoutRoleArn_StopsTheChain()
    {
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nowhere/token");
        _env.WriteHomeFile(".aws/credentials", $"[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {Secret}\n");

        (await FailsAsync(Chain())).Message.Should().Contain("AWS_ROLE_ARN is not").And.Contain("aws/profile: not asked");
    }

    [Fact]
    public async Task ProfileRole_AssumedWithTheSourceProfilesKeys_ThroughTheStsEndpointVariable()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRole", DateTimeOffset.UtcNow.AddHours(1))));
        _env.Set("AWS_ENDPOINT_URL_STS", sts.BaseUrl).Set("AWS_PROFILE", "role");
        _env.WriteHomeFile(".aws/credentials", $"[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {Secret}\n");
        _env.WriteHomeFile(".aws/config", "[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nregion = eu-central-1\n");

        CloudCredential c = await Chain().FetchAsync(CancellationToken.None);

        c.ProviderName.Should().Be("aws/default/profile/assume_role/static");
        c.AccessKeyId.Should().Be(AwsStsResponses.AccessKeyId);
        RecordedRequest request = sts.Received.Should().ContainSingle().Subject;
        request.Header("Authorization").Should().Contain("Credential=AKIDBASE/").And.Contain("/eu-central-1/sts/");
        request.Form()["RoleSessionName"].Should().MatchRegex("^cloudcredentials-[0-9]+$");
    }

    [Fact]
    public async Task RemembersTheAnsweringSource_AndWalksAgainFromTheTopWhenItFails()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENV").Set("AWS_SECRET_ACCESS_KEY", Secret);
        ICredentialChain chain = Chain();
        (await chain.FetchAsync(CancellationToken.None)).ProviderName.Should().Be("aws/default/env");

        _env.Set("AWS_ACCESS_KEY_ID", null).Set("AWS_SECRET_ACCESS_KEY", null);
        _env.WriteHomeFile(".aws/credentials", $"[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = {Secret}\n");

        CloudCredential c = await chain.FetchAsync(CancellationToken.None);
        c.ProviderName.Should().Be("aws/default/profile/static");
        c.AccessKeyId.Should().Be("AKIDFILE");
    }

    [Fact]
    public async Task ContainerRelativeUri_ContainerEndpointOption_AnswersAtOnce_NeverNull()
    {
        await using LoopbackServer container = await LoopbackServer.StartRecordingAsync(_ => (200,
            $"{{\"AccessKeyId\": \"ASIACONT\", \"SecretAccessKey\": \"{Secret}\", \"Token\": \"T\", \"Expiration\": \"{DateTimeOffset.UtcNow.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}\"}}"));
        _env.Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/task");

        CloudCredential c = await Chain(new CloudCredentialsOptions { Cloud = "aws", ContainerEndpoint = container.BaseUrl }).FetchAsync(CancellationToken.None);

        c.ProviderName.Should().Be("aws/default/container");
        c.AccessKeyId.Should().Be("ASIACONT");
        container.Received.Should().ContainSingle().Which.Uri.AbsolutePath.Should().Be("/v2/credentials/task");
    }

    [Fact]
    public async Task WebIdentityOptions_WinOverTheVariables()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRoleWithWebIdentity", DateTimeOffset.UtcNow.AddHours(1))));
        string token = _env.WriteHomeFile("token", "jwt");
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nowhere").Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/env");

        await Chain(new CloudCredentialsOptions { Cloud = "aws", StsEndpoint = sts.BaseUrl, WebIdentityTokenFile = token, RoleArn = "arn:aws:iam::1:role/opt" })
            .FetchAsync(CancellationToken.None);

        sts.Received.Should().ContainSingle().Which.Form().Should().Contain("RoleArn", "arn:aws:iam::1:role/opt");
    }
}

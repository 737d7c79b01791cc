using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudCredentials.Tests.Aws.Options;

/// <summary>AddCloudCredentials with Cloud=aws: the default chain, a profile, the explicit types, and ValidateOnStart failures.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsRegistrationTests : IDisposable
{
    private const string Secret = "RegistrationSecretKey555";
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    private static Dictionary<string, string?> Aws(params (string Key, string Value)[] settings)
    {
        var d = new Dictionary<string, string?> { ["Cloud"] = "AWS" };
        foreach ((string key, string value) in settings)
        {
            d[key] = value;
        }

        return d;
    }

    private static async Task<CloudCredential> GetAsync(Dictionary<string, string?> settings)
    {
        using IHost host = ConfiguredHost.Builder(settings).Build();
        await host.StartAsync();
        try
        {
            return await host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<string> StartFailsAsync(Dictionary<string, string?> settings)
        => (await ConfiguredHost.StartFailsAsync(ConfiguredHost.Builder(settings), Secret)).Message;

    [Fact]
    public async Task CloudAws_NoType_IsTheAwsDefaultChain()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIDENV").Set("AWS_SECRET_ACCESS_KEY", Secret);

        (await GetAsync(Aws())).ProviderName.Should().Be("aws/default/env");
    }

    [Fact]
    public async Task CloudAws_Profile_UsesThatProfile()
    {
        _env.WriteHomeFile(".aws/credentials", $"[default]\naws_access_key_id = D\naws_secret_access_key = {Secret}\n[work]\naws_access_key_id = W\naws_secret_access_key = {Secret}\n");

        (await GetAsync(Aws(("Profile", "work")))).AccessKeyId.Should().Be("W");
        (await GetAsync(Aws(("Type", "profile"), ("Profile", "work")))).ProviderName.Should().Be("aws/profile/static");
    }

    [Fact]
    public async Task TypeAccessKey_FromConfiguration()
    {
        CloudCredential c = await GetAsync(Aws(("Type", "access_key"), ("AccessKeyId", "AKIDCFG"), ("AccessKeySecret", Secret), ("SecurityToken", "TOK")));

        c.Should().Match<CloudCredential>(x => x.ProviderName == "aws/static" && x.SecurityToken == "TOK" && x.Type == "access_key");
    }

    [Fact]
    public async Task TypeAssumeRole_SignedWithTheConfiguredKey_AgainstTheStsEndpointOption()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRole", DateTimeOffset.UtcNow.AddHours(1))));

        CloudCredential c = await GetAsync(Aws(("Type", "assume_role"), ("AccessKeyId", "AKIDCFG"), ("AccessKeySecret", Secret), ("RoleArn", "arn:aws:iam::1:role/r"),
            ("RoleSessionExpiration", "3600"), ("StsEndpoint", sts.BaseUrl), ("Region", "us-west-2")));

        c.ProviderName.Should().Be("aws/assume_role/static");
        RecordedRequest request = sts.Received.Should().ContainSingle().Subject;
        request.Form().Should().Contain("DurationSeconds", "3600");
        request.Header("Authorization").Should().Contain("Credential=AKIDCFG/").And.Contain("/us-west-2/sts/");
    }

    [Fact]
    public async Task TypeWebIdentity_FromConfiguration()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRoleWithWebIdentity", DateTimeOffset.UtcNow.AddHours(1))));
        string token = _env.WriteHomeFile("token", "jwt");

        CloudCredential c = await GetAsync(Aws(("Type", "web_identity"), ("RoleArn", "arn:aws:iam::1:role/w"), ("WebIdentityTokenFile", token), ("StsEndpoint", sts.BaseUrl)));

        c.ProviderName.Should().Be("aws/web_identity");
    }

    [UnixOnlyFact]
    public async Task TypeProcess_FromConfiguration()
    {
        string script = _env.WriteHomeFile("creds.sh", $"#!/bin/sh\nprintf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"{Secret}\"}}'\n");

        (await GetAsync(Aws(("Type", "process"), ("CredentialProcess", "/bin/sh " + script)))).AccessKeyId.Should().Be("AKIDPROC");
    }

    [Fact]
    public async Task UnknownAwsType_FailsAtStart_ListingTheAwsTypes()
        => (await StartFailsAsync(Aws(("Type", "ram_role_arn")))).Should().Contain("not a known AWS credential type").And.Contain("assume_role, web_identity");

    [Fact]
    public async Task UnknownCloud_FailsAtStart()
        => (await StartFailsAsync(new() { ["Cloud"] = "gcp" })).Should().Contain("Cloud 'gcp' is not a known cloud");

    [Theory]
    [InlineData("BearerToken", "b")]
    [InlineData("OIDCProviderArn", "acs:ram::1:oidc-provider/x")]
    [InlineData("StsRegionId", "cn-hangzhou")]
    public async Task AlibabaKeyOnAnAwsSection_FailsAtStart(string key, string value)
        => (await StartFailsAsync(Aws((key, value)))).Should().Contain($"{key} is an Alibaba Cloud setting");

    [Fact]
    public async Task AwsKeyOnAnAlibabaSection_FailsAtStart()
        => (await StartFailsAsync(new() { ["Type"] = "access_key", ["AccessKeyId"] = "LTAI", ["AccessKeySecret"] = Secret, ["Region"] = "us-east-1" }))
            .Should().Contain("Region is an AWS setting");

    [Fact]
    public async Task TypeProfile_Missing_FailsAtStart_ListingTheProfiles()
    {
        _env.WriteHomeFile(".aws/config", "[profile dev]\naws_access_key_id = A\naws_secret_access_key = B\n");

        (await StartFailsAsync(Aws(("Type", "profile"), ("Profile", "prod")))).Should().Contain("profile 'prod'").And.Contain("are: dev");
    }

    [Theory]
    [InlineData("web_identity", "RoleArn is required")]
    [InlineData("assume_role", "RoleArn is required")]
    [InlineData("access_key", "AccessKeyId and CloudCredentials:AccessKeySecret are required")]
    [InlineData("process", "CredentialProcess is required")]
    [InlineData("container", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")]
    [InlineData("instance_metadata", "AWS_EC2_METADATA_DISABLED")]
    public async Task ExplicitTypeMissingItsSettings_FailsAtStart(string type, string expected)
        => (await StartFailsAsync(Aws(("Type", type)))).Should().Contain(expected);

    [Fact]
    public async Task BadSessionNameOrPlainHttpSts_FailsAtStart()
    {
        (await StartFailsAsync(Aws(("Type", "access_key"), ("AccessKeyId", "A"), ("AccessKeySecret", Secret), ("RoleSessionName", "bad name!"))))
            .Should().Contain("RoleSessionName 'bad name!' is invalid");
        (await StartFailsAsync(Aws(("StsEndpoint", "http://sts.example.com")))).Should().Contain("CloudCredentials:StsEndpoint uses plain http");
    }

    [Fact]
    public async Task DefaultChainFailure_ListsEveryAwsProvider_NoSecret()
    {
        _env.Set("AWS_SECRET_ACCESS_KEY", Secret);
        using IHost host = ConfiguredHost.Builder(Aws()).Build();
        await host.StartAsync();

        Func<Task> act = async () => await host.Services.GetRequiredService<ICredentialSource>().GetCredentialAsync();

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("aws/env: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not").And.Contain("aws/instance_metadata");
        ex.ToString().Should().NotContain(Secret);
        await host.StopAsync();
    }

    [Fact]
    public async Task PlainHttpEndpointVariable_FailsAnStsType_NamingTheVariable_ButNotAnAccessKey()
    {
        _env.Set("AWS_ENDPOINT_URL", "http://localstack:4566");

        (await StartFailsAsync(Aws(("Type", "web_identity"), ("RoleArn", "arn:aws:iam::1:role/w"), ("WebIdentityTokenFile", "/t"))))
            .Should().Contain("AWS_ENDPOINT_URL uses plain http");
        (await GetAsync(Aws(("Type", "access_key"), ("AccessKeyId", "A"), ("AccessKeySecret", Secret)))).ProviderName.Should().Be("aws/static");
    }
}

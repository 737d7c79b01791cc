using CloudCredentials.Emulator;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// One end-to-end test per AWS field report (FIELD_REPORTS.md), against the emulator on a fake clock: the app's host,
/// its configuration and a SigV4-signed HttpClient, nothing mocked inside the library.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class AwsFieldReportTests
{
    private static Dictionary<string, string?> Aws(params (string Key, string? Value)[] settings)
    {
        var section = new Dictionary<string, string?> { ["Cloud"] = "aws", ["Refresh:WarmUpOnStart"] = "true" };
        foreach ((string key, string? value) in settings)
        {
            section[key] = value;
        }

        return section;
    }

    // Report 1 (Go v2 in ECS): only the container variables; the credential is there when the host has started.
    [Fact]
    public async Task EcsTask_OnlyRelativeUri_DefaultChain_HasACredentialOnceStarted()
    {
        using var env = new EnvironmentScope()
            .Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/emulator")
            .Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", AwsEmulatorOptions.DefaultContainerAuthorizationToken);
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(e => Aws(("ContainerEndpoint", e.ToString())));

        await app.Host.StartAsync();

        app.Stats.ContainerGets.Should().Be(1, "the warm-up fetched during start");
        CloudCredential credential = await app.Source.GetCredentialAsync();
        credential.Should().NotBeNull();
        credential.ProviderName.Should().Be("aws/default/container");
        credential.SecurityToken.Should().NotBeNullOrEmpty();
        (await app.GetCallerIdentityAsync(app.SignedClient())).Status.Should().Be(200);
        app.Stats.ContainerGets.Should().Be(1, "later uses are answered from memory");
    }

    [Fact]
    public async Task EcsTask_WrongAuthorizationToken_HostDoesNotStart_NamingTheVariable()
    {
        using var env = new EnvironmentScope()
            .Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/emulator")
            .Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-the-task-token");
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(e => Aws(("ContainerEndpoint", e.ToString())));

        Func<Task> start = () => app.Host.StartAsync();

        CredentialUnavailableException ex = (await start.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("aws/container").And.Contain("403").And.Contain("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .And.NotContain("not-the-task-token");
        app.Stats.ContainerRejections.Should().Be(1);
    }

    [Fact]
    public async Task EcsTask_ContainerTypeWithoutTheVariables_FailsValidationAtStart()
    {
        using var env = new EnvironmentScope();
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(e => Aws(("Type", "container"), ("ContainerEndpoint", e.ToString())));

        Func<Task> start = () => app.Host.StartAsync();

        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>()).Which.Message
            .Should().Contain("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        app.Stats.ContainerGets.Should().Be(0);
    }

    // Report 2 (C++ pooled clients): 100 pooled signed clients across the 6 h IMDSv2 token TTL, IMDSv1 disabled.
    [Fact]
    public async Task HundredPooledClients_AcrossAnImdsTokenExpiry_OneRenewalPut_NoExpiredToken()
    {
        using var env = new EnvironmentScope().Set("AWS_EC2_METADATA_DISABLED", null);
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(
            e => Aws(("Type", "instance_metadata"), ("MetadataEndpoint", e.ToString())),
            o => o.Aws.ImdsV1Disabled = true);
        await app.Host.StartAsync();
        HttpClient[] pool = [.. Enumerable.Range(0, 100).Select(_ => app.SignedClient())];
        int calls = 0;

        for (int round = 0; round < 28; round++) // every 15 minutes for 7 h: the token is renewed at the 6:00 credential refresh
        {
            (int Status, string? Code)[] answers = await Task.WhenAll(pool.Select(c => app.GetCallerIdentityAsync(c)));
            answers.Should().OnlyContain(a => a.Status == 200);
            calls += answers.Length;
            await app.AdvanceAsync(TimeSpan.FromMinutes(15));
        }

        calls.Should().Be(2800);
        app.Stats.ImdsTokenPuts.Should().Be(2, "one PUT at start and one renewal 5 minutes before the 6 h TTL");
        app.Stats.ImdsUnauthorized.Should().Be(0, "no GET carried an expired token");
        app.Stats.ImdsGetsWithoutToken.Should().Be(0);
        app.Stats.ImdsCredentialsGets.Should().BeInRange(8, 10, "1 h credentials, refreshed 15 minutes before expiry, for 7 h");
    }

    // Report 3 (Java v1 captured once): asking on every use survives three rotations; the captured credential does not.
    [Fact]
    public async Task Worker_AsksOnEveryUse_ThreeRotations_AllOk_WhileACapturedCredentialGetsExpiredToken()
    {
        using var env = new EnvironmentScope();
        await using AwsEmulatorApp app = await AwsEmulatorApp.BuildAsync(e => Aws(
            ("Type", "assume_role"), ("RoleArn", "arn:aws:iam::123456789012:role/worker"), ("Region", "us-east-1"),
            ("AccessKeyId", AwsEmulatorOptions.DefaultAccessKeyId), ("AccessKeySecret", AwsEmulatorOptions.DefaultSecretAccessKey),
            ("StsEndpoint", e.ToString())));
        await app.Host.StartAsync();
        HttpClient worker = app.SignedClient();
        using var plain = new HttpClient();
        CloudCredential captured = await app.Source.GetCredentialAsync(); // the anti-pattern: asked once, kept
        var keys = new List<string?>();
        var capturedAnswers = new List<(int Status, string? Code)>();

        for (TimeSpan t = TimeSpan.Zero; t <= TimeSpan.FromHours(2.5); t += TimeSpan.FromMinutes(5))
        {
            (await app.GetCallerIdentityAsync(worker)).Status.Should().Be(200, "at {0} the worker signs with the current credential", t);
            string? keyId = (await app.Source.GetCredentialAsync()).AccessKeyId;
            if (keys.Count == 0 || keys[^1] != keyId)
            {
                keys.Add(keyId);
            }

            capturedAnswers.Add(await app.GetCallerIdentityAsync(plain, captured));
            await app.AdvanceAsync(TimeSpan.FromMinutes(5));
        }

        keys.Should().HaveCountGreaterThanOrEqualTo(4, "three rotations in 2.5 h of 1 h sessions refreshed 15 minutes early").And.OnlyHaveUniqueItems();
        capturedAnswers.Take(12).Should().OnlyContain(a => a.Status == 200, "the captured credential works for its hour");
        capturedAnswers.Skip(13).Should().NotBeEmpty().And.OnlyContain(a => a.Status == 403 && a.Code == "ExpiredToken");
        app.Stats.StsAssumeRole.Should().Be(keys.Count);
    }
}

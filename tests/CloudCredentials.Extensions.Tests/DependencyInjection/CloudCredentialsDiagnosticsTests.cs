using CloudCredentials.Credentials;
using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>
/// <see cref="CloudCredentialsDiagnostics.DiagnoseAsync"/> reads the provider a registration built (no copy of the
/// composition): one entry for a single type, each chain member in order, the first answer, no secret anywhere.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class CloudCredentialsDiagnosticsTests : IDisposable
{
    private const string Secret = "diagnose-secret-Rb52";

    private readonly EnvironmentScope _env = new EnvironmentScope().Set("AWS_EC2_METADATA_DISABLED", "true");

    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task SingleType_OneEntryThatAnswers_ReportDescribesTheCredentialWithoutSecrets()
    {
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(o =>
        {
            o.Type = "access_key";
            o.AccessKeyId = "LTAIdiagnose";
            o.AccessKeySecret = Secret;
        }));

        CredentialDiagnosticReport report = await CloudCredentialsDiagnostics.DiagnoseAsync(services);

        report.RegistrationName.Should().Be("(default)");
        report.ProviderName.Should().Be("static_ak");
        report.Providers.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Order = 1, ProviderName = "static_ak", Configured = true, Outcome = ProviderOutcome.Answered });
        report.Should().BeEquivalentTo(new { Found = true, AnsweringProvider = "static_ak", CredentialType = "access_key", MaskedAccessKeyId = "LTAI***", Expiration = (DateTimeOffset?)null });
        report.ToString().Should().Contain("static_ak").And.Contain("LTAI***").And.NotContain(Secret).And.NotContain("LTAIdiagnose");
    }

    [Fact]
    public async Task DefaultChain_NothingConfigured_EveryMemberDeclines_SkippedSourcesListedWithTheirReason()
    {
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(_ => { }));

        CredentialDiagnosticReport report = await CloudCredentialsDiagnostics.DiagnoseAsync(services);

        report.Found.Should().BeFalse();
        report.ProviderName.Should().Be("default");
        report.Providers.Select(p => (p.ProviderName, p.Outcome)).Should().Equal(
            ("env", ProviderOutcome.Declined),
            ("cli_profile", ProviderOutcome.Declined),
            ("profile", ProviderOutcome.Declined),
            ("oidc_role_arn", ProviderOutcome.Skipped),
            ("ecs_ram_role", ProviderOutcome.Skipped),
            ("credential_uri", ProviderOutcome.Skipped));
        report.Providers.Select(p => p.Order).Should().Equal(1, 2, 3, 4, 5, 6);
        report.Providers.Single(p => p.ProviderName == "ecs_ram_role").Should().BeEquivalentTo(new { Configured = false, Reason = "ALIBABA_CLOUD_ECS_METADATA_DISABLED=true" });
        report.Providers.Should().OnlyContain(p => p.Reason.Length > 0);
    }

    [Fact]
    public async Task DefaultChain_EnvAnswers_LaterMembersNotReached_CacheUntouched()
    {
        _env.Set("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIchain").Set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", Secret);
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(_ => { }));

        CredentialDiagnosticReport report = await CloudCredentialsDiagnostics.DiagnoseAsync(services);

        report.AnsweringProvider.Should().Be("env");
        report.Providers[0].Outcome.Should().Be(ProviderOutcome.Answered);
        report.Providers.Where(p => p.Configured).Skip(1).Should().OnlyContain(p => p.Outcome == ProviderOutcome.NotReached && p.Reason.Contains("env answers first"));
        ((ICredentialCacheStatusReporter)services.GetRequiredService<ICredentialSource>()).GetStatus().State.Should().Be(CredentialCacheState.NotFetched, "the providers are asked directly, the cache is not filled");
        report.ToString().Should().NotContain(Secret);
    }

    [Fact]
    public async Task AnyChain_MembersAskedInOrder_UnexpectedFailureNamedByTypeOnly()
    {
        var chain = new FakeChain(
            [new ThrowingProvider("first", new CredentialUnavailableException("first", "not here", null)),
             new ThrowingProvider("second", new InvalidOperationException("boom " + Secret)),
             new AnsweringProvider("third"),
             new AnsweringProvider("fourth")],
            ["fifth (turned off)", "sixth (needs SIXTH)"]);
        await using ServiceProvider services = Build(s => s.AddCloudCredentials("custom", _ => chain));

        CredentialDiagnosticReport report = await CloudCredentialsDiagnostics.DiagnoseAsync(services, "custom");

        report.Providers.Select(p => (p.ProviderName, p.Outcome, p.Reason)).Should().Equal(
            ("first", ProviderOutcome.Declined, "not here"),
            ("second", ProviderOutcome.Failed, "unexpected InvalidOperationException"),
            ("third", ProviderOutcome.Answered, "access_key from third"),
            ("fourth", ProviderOutcome.NotReached, "not asked: third answers first"),
            ("fifth", ProviderOutcome.Skipped, "turned off"),
            ("sixth", ProviderOutcome.Skipped, "needs SIXTH"));
        report.RegistrationName.Should().Be("custom");
        report.ToString().Should().NotContain(Secret);
    }

    [Fact]
    public async Task UnknownName_Throws_InvalidOptions_ThrowAsAtStart()
    {
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(o => o.Type = "access_key"));

        Func<Task> unknown = () => CloudCredentialsDiagnostics.DiagnoseAsync(services, "nope");
        Func<Task> invalid = () => CloudCredentialsDiagnostics.DiagnoseAsync(services);

        await unknown.Should().ThrowAsync<InvalidOperationException>().WithMessage("*'nope'*");
        await invalid.Should().ThrowAsync<OptionsValidationException>().WithMessage("*AccessKeyId*");
    }

    [Fact]
    public async Task AwsChain_NothingConfigured_FiveMembersInOrder_EachDeclinedAsNotConfigured()
    {
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(o => o.Cloud = "AWS"));

        CredentialDiagnosticReport report = await CloudCredentialsDiagnostics.DiagnoseAsync(services);

        report.ProviderName.Should().Be("aws/default");
        report.Found.Should().BeFalse();
        report.Providers.Select(p => p.ProviderName).Should().Equal("aws/env", "aws/web_identity", "aws/profile", "aws/container", "aws/instance_metadata");
        report.Providers.Should().OnlyContain(p => p.Outcome == ProviderOutcome.Declined && !p.Configured && p.Reason.StartsWith("not configured: ", StringComparison.Ordinal));
        report.Providers[0].Reason.Should().Contain("AWS_ACCESS_KEY_ID");
        report.Providers[4].Reason.Should().Contain("AWS_EC2_METADATA_DISABLED");
    }

    [Fact]
    public async Task AwsChain_ConfiguredProfileBroken_ChainStopsThere_LaterMembersNotReached()
    {
        _env.Set("AWS_PROFILE", "nope").Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
        await using ServiceProvider services = Build(s => s.AddCloudCredentials(o => o.Cloud = "aws"));

        CredentialDiagnosticReport report = await CloudCredentialsDiagnostics.DiagnoseAsync(services);

        report.Providers.Select(p => (p.ProviderName, p.Outcome, p.Configured)).Should().Equal(
            ("aws/env", ProviderOutcome.Declined, false),
            ("aws/web_identity", ProviderOutcome.Declined, false),
            ("aws/profile", ProviderOutcome.Declined, true),
            ("aws/container", ProviderOutcome.NotReached, true),
            ("aws/instance_metadata", ProviderOutcome.NotReached, true));
        report.Providers[2].Reason.Should().Contain("nope");
        report.Providers[3].Reason.Should().Be("not asked: the chain stops at aws/profile (configured but failed)");
    }

    [Fact]
    public void EnvironmentVariables_AreAllVariableNames_NoOtherConstantLeaksIn()
        => CloudCredentialsDiagnostics.EnvironmentVariables.Should().OnlyContain(
            v => System.Text.RegularExpressions.Regex.IsMatch(v.Name, "^[A-Z][A-Z0-9_]*\\z"), "regression: an endpoint constant was listed as an AWS variable");

    private static ServiceProvider Build(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        return services.BuildServiceProvider();
    }

    private sealed class FakeChain(IReadOnlyList<ICredentialProvider> providers, IReadOnlyList<string> skipped, bool stops = false) : ICredentialChain
    {
        public bool StopsOnConfiguredFailure => stops;

        public string ProviderName => "fake_chain";

        public IReadOnlyList<ICredentialProvider> Providers => providers;

        public IReadOnlyList<string> Skipped => skipped;

        public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) => throw new NotSupportedException("the diagnosis asks the members");
    }

    private sealed class ThrowingProvider(string name, Exception exception) : ICredentialProvider
    {
        public string ProviderName => name;

        public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) => throw exception;
    }

    private sealed class AnsweringProvider(string name) : ICredentialProvider
    {
        public string ProviderName => name;

        public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
            => ValueTask.FromResult(new CloudCredential(CredentialTypes.AccessKey, name) { AccessKeyId = "LTAI" + name, AccessKeySecret = Secret });
    }
}

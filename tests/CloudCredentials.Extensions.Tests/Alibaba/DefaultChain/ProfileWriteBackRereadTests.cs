using System.Text.Json.Nodes;
using CloudCredentials.Alibaba.DefaultChain;
using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.OAuth;
using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Credentials;
using CloudCredentials.Http;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

/// <summary>Profile providers re-read a changed file after a failure, but never because of their own write-backs.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ProfileWriteBackRereadTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public void Dispose() => _env.Dispose();

    // The provider's own write-back changes the file but not the profile's description: no rebuild, no second call.
    [Fact]
    public async Task CliOAuthProfile_ExchangeFailsAfterRefresh_ExchangeIsCalledOncePerFetch()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        int exchanges = 0;
        (int, string) ExchangeFails()
        {
            Interlocked.Increment(ref exchanges);
            return (503, """{"error":"ServiceUnavailable","error_description":"busy"}""");
        }

        await using LoopbackServer server = await LoopbackServer.StartRecordingAsync(r => r.Uri.AbsolutePath switch
        {
            "/v1/token" => (200, """{"access_token":"new-access","refresh_token":"new-refresh","expires_in":7200,"token_type":"Bearer"}"""),
            "/v1/exchange" => ExchangeFails(),
            _ => (404, "{}"),
        });
        var profile = new JsonObject
        {
            ["name"] = "o",
            ["mode"] = "OAuth",
            ["oauth_site_type"] = "CN",
            ["oauth_access_token"] = "old-access",
            ["oauth_refresh_token"] = "old-refresh",
            ["oauth_access_token_expire"] = now + 60, // within 1200 s: refresh first
        };
        string path = _env.WriteHomeFile(".aliyun/config.json", new JsonObject { ["current"] = "o", ["profiles"] = new JsonArray(profile) }.ToJsonString());
        using var http = new HttpClient();
        int builds = 0;
        var provider = new CliProfileProvider(new CloudCredentialsOptions(), path, null, spec =>
        {
            builds++;
            var oauth = (OAuthSpec)spec;
            return new OAuthProvider(
                oauth with { BaseUrlOverride = server.BaseUrl },
                () => new OAuthClient(http, TimeProvider.System, NullLogger.Instance),
                new CliConfigWriter(),
                TimeProvider.System,
                NullLogger.Instance);
        });

        await FluentActions.Awaiting(async () => await provider.FetchAsync(default)).Should().ThrowAsync<CredentialUnavailableException>();

        server.Received.Count(r => r.Uri.AbsolutePath == "/v1/token").Should().Be(1);
        exchanges.Should().Be(1, "one fetch should make one exchange call; the file changed only because this provider wrote it");
        builds.Should().Be(1);
    }

    // ChainableRamRoleArn over an External source: External writes back to config.json, then STS fails. The write
    // must not look like a fixed profile: one command run, one STS call, one signing cache.
    [UnixOnlyFact]
    public async Task ChainableRoleOverExternal_StsFails_OneFetchRunsCommandOnceAndCreatesOneSigningCache()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string counter = Path.Combine(dir, "runs");
        string script = Path.Combine(dir, "ext.sh");
        File.WriteAllText(script, $"echo run >> '{counter}'\nprintf '%s' '{{\"mode\":\"AK\",\"access_key_id\":\"LTAIext\",\"access_key_secret\":\"ext-secret\"}}'\n");
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (403, """{"RequestId":"r","Code":"NoPermission","Message":"denied"}"""));
        string config = $$"""
            {"current":"role","profiles":[
              {"name":"ext","mode":"External","process_command":"/bin/sh {{script}}"},
              {"name":"role","mode":"ChainableRamRoleArn","source_profile":"ext","ram_role_arn":"acs:ram::1:role/r","ram_session_name":"s","sts_endpoint":"{{sts.BaseUrl}}"}]}
            """;
        string path = _env.WriteHomeFile(".aliyun/config.json", config);

        ProviderBuildContext context = TestBuildContext.Create();
        var provider = new CliProfileProvider(new CloudCredentialsOptions(), path, null, spec => spec.Build(context));

        await FluentActions.Awaiting(async () => await provider.FetchAsync(default)).Should().ThrowAsync<CredentialUnavailableException>();

        int runs = File.ReadAllLines(counter).Length;
        int stsCalls = sts.Received.Count;
        int owned = context.OwnedResources.Count;
        (runs, stsCalls, owned).Should().Be((1, 1, 1));
    }
}

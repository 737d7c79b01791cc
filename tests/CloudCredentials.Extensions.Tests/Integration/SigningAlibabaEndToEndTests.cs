using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CloudCredentials.Emulator;
using CloudCredentials.Signing;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.Integration;

/// <summary>
/// ACS3-HMAC-SHA256 end to end: an app's signed HttpClient (AddCloudCredentials, a retry handler, AddAlibabaCloudSigning)
/// against the emulator, which verifies every signature with its own code: RPC GetCallerIdentity, the ROA echo with a
/// JSON body, a session credential (x-acs-security-token), and the emulator's rejection of tampered, stale and replayed
/// requests.
/// </summary>
public sealed class SigningAlibabaEndToEndTests
{
    private const string AcsDate = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    private static readonly EmulatorFault Unavailable = EmulatorFault.StsError(503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");

    [Fact]
    public async Task GetCallerIdentity_RetriedAfter503_IsReSignedAndAnswers200()
    {
        await using SigningEndToEndHost h = await StartAsync();
        h.Emulator.InjectFault(EmulatorService.StsV3, Unavailable);

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        status.Should().Be(HttpStatusCode.OK, body);
        JsonNode identity = JsonNode.Parse(body)!;
        identity["IdentityType"]!.GetValue<string>().Should().Be("RAMUser");
        identity["AccountId"]!.GetValue<string>().Should().Be("1234567890123456");
        h.Recorder.Attempts.Select(a => a.Status).Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        h.ShouldBeReSigned("x-acs-date", "x-acs-signature-nonce");
        h.Emulator.Stats.SignatureFailures.Should().Be(0);
    }

    [Fact]
    public async Task RoaEcho_JsonBody_RetriedAfter503_IsReSignedAndAnswers200()
    {
        await using SigningEndToEndHost h = await StartAsync();
        h.Emulator.InjectFault(EmulatorService.RoaEcho, Unavailable);

        (HttpStatusCode status, string body) = await h.SendAsync(RoaAttach());

        status.Should().Be(HttpStatusCode.OK, body);
        JsonNode echo = JsonNode.Parse(body)!;
        echo["SignatureType"]!.GetValue<string>().Should().Be("ACS3-HMAC-SHA256");
        echo["Path"]!.GetValue<string>().Should().Be("/roa/echo/clusters/c%201/attach");
        echo["Action"]!.GetValue<string>().Should().Be("AttachInstances");
        echo["ContentType"]!.GetValue<string>().Should().StartWith("application/json");
        echo["BodyLength"]!.GetValue<int>().Should().BeGreaterThan(0);
        h.Recorder.Attempts.Select(a => a.Status).Should().Equal(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        h.Recorder.Attempts.Select(a => a.Request.Body).Distinct().Should().ContainSingle("the JSON body is replayed on the retry");
        h.ShouldBeReSigned("x-acs-date", "x-acs-signature-nonce");
    }

    [Fact]
    public async Task SessionCredential_FromEmulatorSts_SignsWithSecurityToken()
    {
        await using SigningEndToEndHost h = await StartAsync((o, emulator) =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = EmulatorFixture.KeyId;
            o.AccessKeySecret = EmulatorFixture.KeySecret;
            o.RoleArn = EmulatorFixture.RoleArn;
            o.RoleSessionName = "signing-e2e";
            o.StsEndpoint = emulator.BaseAddress.ToString();
        });
        CloudCredential session = await h.RememberCredentialAsync();
        h.Emulator.InjectFault(EmulatorService.StsV3, Unavailable);

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        status.Should().Be(HttpStatusCode.OK, body);
        JsonNode identity = JsonNode.Parse(body)!;
        identity["IdentityType"]!.GetValue<string>().Should().Be("AssumedRoleUser");
        identity["Arn"]!.GetValue<string>().Should().Be("acs:ram::1234567890123456:assumed-role/app-role/signing-e2e");
        h.Recorder.Header("x-acs-security-token").Should().AllBe(session.SecurityToken).And.HaveCount(2);
        h.Recorder.Header("Authorization").Should().AllSatisfy(a => a.Should().Contain("Credential=" + session.AccessKeyId + ","));
        h.ShouldBeReSigned("x-acs-date", "x-acs-signature-nonce");
        h.Emulator.Stats.StsAssumeRole.Should().Be(1, "the session is fetched once and cached; both attempts use it");
    }

    [Fact]
    public async Task SignedHeaderChangedAfterSigning_EmulatorAnswersSignatureDoesNotMatch()
    {
        await using SigningEndToEndHost h = await StartAsync(tamper: SigningEndToEndHost.ShiftSignedDate("x-acs-date", AcsDate));

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        ShouldBeRefused(status, body, "SignatureDoesNotMatch");
        h.Emulator.Stats.SignatureFailures.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task BodyChangedAfterSigning_EmulatorAnswersSignatureDoesNotMatch()
    {
        await using SigningEndToEndHost h = await StartAsync(tamper: SigningEndToEndHost.ReplaceBody("""{"instances":["i-attacker"]}"""));

        (HttpStatusCode status, string body) = await h.SendAsync(RoaAttach());

        ShouldBeRefused(status, body, "SignatureDoesNotMatch");
    }

    [Theory]
    [InlineData(-20)]
    [InlineData(20)]
    public async Task ClientClockOff20Minutes_EmulatorAnswersTimestampExpired(int minutes)
    {
        await using SigningEndToEndHost h = await StartAsync(clientClockOffset: TimeSpan.FromMinutes(minutes));

        (HttpStatusCode status, string body) = await h.SendAsync(GetCallerIdentity());

        ShouldBeRefused(status, body, "InvalidTimeStamp.Expired");
        h.Recorder.Header("x-acs-date").Should().Equal(SigningEndToEndHost.Start.AddMinutes(minutes).ToString(AcsDate, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SignedRequestReplayed_EmulatorAnswersSignatureNonceUsed()
    {
        await using SigningEndToEndHost h = await StartAsync();
        (HttpStatusCode first, _) = await h.SendAsync(GetCallerIdentity());
        first.Should().Be(HttpStatusCode.OK);

        // The attempt exactly as signed and sent, sent again by someone who captured it.
        RecordedRequest captured = h.Recorder.Attempts.Single().Request;
        using var replay = new HttpRequestMessage(captured.Method, captured.Uri);
        foreach ((string name, string value) in captured.Headers)
        {
            replay.Headers.TryAddWithoutValidation(name, value);
        }

        using var plain = new HttpClient();
        using HttpResponseMessage response = await plain.SendAsync(replay);

        ShouldBeRefused(response.StatusCode, await response.Content.ReadAsStringAsync(), "SignatureNonceUsed");
    }

    private static Task<SigningEndToEndHost> StartAsync(
        Action<CloudCredentialsOptions, CloudEmulator>? credential = null,
        Func<HttpRequestMessage, Task>? tamper = null,
        TimeSpan clientClockOffset = default) =>
        SigningEndToEndHost.StartAsync(credential ?? SigningEndToEndHost.AlibabaAccessKey, b => b.AddAlibabaCloudSigning(), tamper, clientClockOffset);

    private static HttpRequestMessage GetCallerIdentity() =>
        new HttpRequestMessage(HttpMethod.Post, "/").SetAcsAction("GetCallerIdentity", "2015-04-01");

    private static HttpRequestMessage RoaAttach() =>
        new HttpRequestMessage(HttpMethod.Post, "/roa/echo/clusters/" + AcsV3Signer.EncodePathSegment("c 1") + "/attach")
        {
            Content = JsonContent.Create(new { instances = new[] { "i-bp1", "i-bp2" } }),
        }.SetAcsAction("AttachInstances", "2015-12-15");

    internal static void ShouldBeRefused(HttpStatusCode status, string body, string code)
    {
        status.Should().Be(HttpStatusCode.BadRequest, body);
        JsonNode.Parse(body)!["Code"]!.GetValue<string>().Should().Be(code);
    }
}

using System.Text;
using System.Text.RegularExpressions;
using CloudCredentials.Aws.Sts;
using CloudCredentials.Signing;
using CloudCredentials.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Tests.Aws.Sts;

/// <summary>The AWS STS client against a loopback fake: the Query API form, SigV4 on AssumeRole only, XML answers and errors.</summary>
public sealed class AwsStsClientTests
{
    private const string SourceSecret = "SourceSecretAccessKey111";
    private const string SourceToken = "SourceSessionToken222";
    private const string WebToken = "eyJ.web-identity-token.value";
    private static readonly DateTimeOffset Expires = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly CloudCredential Source = CloudCredential.Create("access_key", "aws/static", "AKIDSOURCE", SourceSecret, SourceToken, null);

    private static AwsStsClient Client() => new(new HttpClient(), TimeProvider.System, NullLogger.Instance);

    private static AwsStsEndpoint At(LoopbackServer server) => new(server.BaseAddress, "us-west-2");

    [Fact]
    public async Task AssumeRole_PostsTheSignedQueryApiForm_AndReadsTheXmlCredentials()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRole", Expires)));

        CloudCredential credential = await Client().AssumeRoleAsync(At(sts), new AwsRoleRequest("arn:aws:iam::1:role/r", "sess-1", null, "ext-9", null), Source, CancellationToken.None);

        credential.Should().Match<CloudCredential>(c => c.AccessKeyId == AwsStsResponses.AccessKeyId && c.AccessKeySecret == AwsStsResponses.SecretAccessKey
            && c.SecurityToken == AwsStsResponses.SessionToken && c.Expiration == Expires && c.Type == "assume_role" && c.ProviderName == "aws/assume_role");
        RecordedRequest request = sts.Received.Should().ContainSingle().Subject;
        request.Method.Should().Be(HttpMethod.Post);
        request.Header("Content-Type").Should().StartWith("application/x-www-form-urlencoded");
        request.Form().Should().Contain(new Dictionary<string, string>
        {
            ["Action"] = "AssumeRole", ["Version"] = "2011-06-15", ["RoleArn"] = "arn:aws:iam::1:role/r", ["RoleSessionName"] = "sess-1", ["ExternalId"] = "ext-9",
        }).And.NotContainKey("DurationSeconds");
        request.Header("Authorization").Should().StartWith("AWS4-HMAC-SHA256 Credential=AKIDSOURCE/").And.Contain("/us-west-2/sts/aws4_request").And.Contain("SignedHeaders=");
        request.Header("X-Amz-Security-Token").Should().Be(SourceToken);
        request.Header("X-Amz-Date").Should().MatchRegex("^[0-9]{8}T[0-9]{6}Z$");
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_IsUnsigned_SendsTheTokenAsIs_AndDurationOnlyWhenSet()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRoleWithWebIdentity", Expires)));

        CloudCredential credential = await Client().AssumeRoleWithWebIdentityAsync(At(sts), new AwsRoleRequest("arn:aws:iam::1:role/w", "s", 900, null, null), WebToken + "\n", CancellationToken.None);

        credential.Type.Should().Be("web_identity");
        RecordedRequest request = sts.Received.Should().ContainSingle().Subject;
        request.Header("Authorization").Should().BeNull();
        request.Form().Should().Contain("Action", "AssumeRoleWithWebIdentity").And.Contain("WebIdentityToken", WebToken + "\n").And.Contain("DurationSeconds", "900");
    }

    [Theory]
    [InlineData(403, "AccessDenied", "trust policy")]
    [InlineData(400, "ExpiredToken", "has expired")]
    [InlineData(400, "Throttling", "throttling")]
    public async Task ErrorResponse_SurfacesCodeMessageRequestId_AndAdvice_WithoutSecrets(int status, string code, string advice)
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (status, AwsStsResponses.Error(code, $"refused for {SourceToken}")));

        Func<Task> act = () => Client().AssumeRoleAsync(At(sts), new AwsRoleRequest("arn:aws:iam::1:role/r", "s", null, null, null), Source, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("aws/assume_role");
        ex.ErrorCode.Should().Be(code);
        ex.RequestId.Should().Be("req-err-42");
        ex.Message.Should().Contain($"{status} (").And.Contain(code).And.Contain("refused for").And.Contain("arn:aws:iam::1:role/r").And.Contain(advice);
        ex.ToString().Should().NotContain(SourceToken).And.NotContain(SourceSecret);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<AssumeRoleResponse><Broken>")]
    [InlineData("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>")]
    public async Task MalformedSuccessXml_ClearErrorWithoutQuotingTheBody(string body)
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, body));

        Func<Task> act = () => Client().AssumeRoleWithWebIdentityAsync(At(sts), new AwsRoleRequest("arn:aws:iam::1:role/w", "s", null, null, null), WebToken, CancellationToken.None);

        CredentialUnavailableException ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("aws/web_identity");
        ex.Message.Should().Contain("AssumeRoleWithWebIdentity").And.MatchRegex("not XML|without").And.NotContain(WebToken);
    }

    [Fact]
    public async Task SourceWithoutKeys_RefusedBeforeAnyRequest()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, ""));
        var bearer = new CloudCredential("bearer", "x") { BearerToken = "b" };

        Func<Task> act = () => Client().AssumeRoleAsync(At(sts), new AwsRoleRequest("arn:aws:iam::1:role/r", "s", null, null, null), bearer, CancellationToken.None);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.Message.Should().Contain("no access key pair");
        sts.Requests.Should().Be(0);
    }

    [Fact]
    public async Task AssumeRole_SignatureOnTheWire_VerifiesAgainstTheReceivedRequest()
    {
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (200, AwsStsResponses.Success("AssumeRole", Expires)));

        await Client().AssumeRoleAsync(At(sts), new AwsRoleRequest("arn:aws:iam::1:role/r", "sess-1", 1200, null, "{\"Version\":\"2012-10-17\"}"), Source, CancellationToken.None);

        RecordedRequest request = sts.Received.Should().ContainSingle().Subject;
        Match auth = Regex.Match(request.Header("Authorization")!, "Credential=(?<key>[^/]+)/(?<scope>[^,]+), SignedHeaders=(?<signed>[^,]+), Signature=(?<sig>[0-9a-f]{64})");
        auth.Success.Should().BeTrue();
        string[] signed = auth.Groups["signed"].Value.Split(';');
        signed.Should().Contain(["host", "x-amz-date", "x-amz-security-token", "content-type"]);
        string timestamp = request.Header("X-Amz-Date")!;
        SigningResult expected = new SigV4Signer("sts", "us-west-2").Sign(
            "POST", "/", null, signed.Select(h => new KeyValuePair<string, string>(h, request.Header(h)!)),
            SigV4Signer.HashPayload(Encoding.UTF8.GetBytes(request.Body)), "AKIDSOURCE", SourceSecret, timestamp);
        auth.Groups["sig"].Value.Should().Be(expected.Signature, "the server recomputes the same signature from what it received");
        auth.Groups["scope"].Value.Should().Be($"{timestamp[..8]}/us-west-2/sts/aws4_request");
    }
}

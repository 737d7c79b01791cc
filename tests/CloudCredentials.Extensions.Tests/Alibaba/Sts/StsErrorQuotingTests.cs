using CloudCredentials.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Tests.Alibaba.Sts;

/// <summary>Issue 9 item 8: an STS error answer is quoted only by its Code, Message and RequestId, with the call's secrets masked.</summary>
public sealed class StsErrorQuotingTests
{
    private const string SigningSecret = "sts-signing-secret-Qm27";
    private const string SigningToken = "CAIS+signing/Session+Token==Kx93";

    [Fact]
    public async Task AssumeRole400_QuotingTheSigningSecurityToken_TokenIsNotInExceptionLogsOrHealth()
    {
        string body = $$"""{"RequestId":"req-{{SigningToken}}","Code":"InvalidSecurityToken.{{SigningToken}}","Message":"The SecurityToken {{SigningToken}} is malformed."}""";
        await using LoopbackServer sts = await LoopbackServer.StartRecordingAsync(_ => (400, body));
        await using SecretScanHost host = SecretScanHost.Create(o =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = "STS.signingKeyId";
            o.AccessKeySecret = SigningSecret;
            o.SecurityToken = SigningToken;
            o.RoleArn = "acs:ram::123456789012:role/app";
            o.StsEndpoint = sts.BaseUrl;
        });

        CredentialUnavailableException ex = await host.FailAsync();

        ex.Message.Should().Contain("400").And.Contain("is malformed").And.Contain("InvalidSecurityToken.***").And.Contain("req-***");
        ex.ErrorCode.Should().Be("InvalidSecurityToken.***");
        ex.RequestId.Should().Be("req-***");
        host.AssertNowhere(ex, SigningToken, "CAIS+signing/Session", SigningSecret);
    }

    [Fact]
    public async Task AssumeRole400_NonJsonBody_IsDescribedNotQuoted()
    {
        await using LoopbackServer sts = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>proxy says: signing-proxy-echo-Wq55</html>");
        });
        await using SecretScanHost host = SecretScanHost.Create(o =>
        {
            o.Type = "ram_role_arn";
            o.AccessKeyId = "LTAIsigningKeyId";
            o.AccessKeySecret = SigningSecret;
            o.RoleArn = "acs:ram::123456789012:role/app";
            o.StsEndpoint = sts.BaseUrl;
        });

        CredentialUnavailableException ex = await host.FailAsync();

        ex.Message.Should().Contain("400").And.Contain("text/html").And.Contain("a text/html body of 48 characters");
        host.AssertNowhere(ex, "signing-proxy-echo-Wq55", SigningSecret);
    }
}

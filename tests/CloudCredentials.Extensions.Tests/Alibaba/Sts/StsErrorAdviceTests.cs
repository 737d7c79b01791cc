using System.Net;
using System.Text.Json;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Http;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.Sts;

public sealed class StsErrorAdviceTests
{
    private const string RoleArn = "acs:ram::123456789012:role/app";
    private const string Secret = "AdviceSigningSecret123";
    private const string Prefix = "STS AssumeRole at http://127.0.0.1:5999/ answered 403 (Forbidden)";

    private static readonly CloudCredential Signing = new(CredentialTypes.AccessKey, "static_ak")
    {
        AccessKeyId = "LTAIsigningKeyId",
        AccessKeySecret = Secret,
    };

    private static AssumeRoleSigner Signer() =>
        new(new Uri("http://127.0.0.1:5999/"), [new("RoleArn", RoleArn)], Signing, new FakeTimeProvider());

    private static StsErrorAdvice Signed(AssumeRoleSigner? signer = null) => new(RoleArn, signer ?? Signer(), Signing);

    private static StsErrorAdvice Oidc() => new(RoleArn, signing: null, signingCredential: null);

    private static ErrorBody Answer(string code, string requestId, string message) =>
        ErrorBody.Parse(JsonSerializer.Serialize(new { RequestId = requestId, Code = code, Message = message }), "application/json", [Secret]);

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "STS is unavailable; the call was retried. Try again later.")]
    [InlineData(HttpStatusCode.TooManyRequests, "STS is throttling calls; the call was retried.")]
    [InlineData(HttpStatusCode.NotFound, "Check that the STS endpoint is right.")]
    [InlineData(HttpStatusCode.BadRequest, "")]
    public void HintForStatus_NamesWhatToDo(HttpStatusCode status, string expected) =>
        StsErrorAdvice.HintForStatus(status).Should().Be(expected);

    [Fact]
    public void HintForCode_NoPermission_PointsAtTheTrustPolicyOfTheRightKindOfCall()
    {
        Signed().HintForCode("NoPermission", HttpStatusCode.Forbidden).Should().Contain("may call sts:AssumeRole").And.Contain(RoleArn);
        Oidc().HintForCode("NoPermission", HttpStatusCode.Forbidden).Should().Contain("trusts the OIDC provider").And.Contain(RoleArn);
    }

    [Fact]
    public void HintForCode_UnknownCode_FallsBackToTheStatus() =>
        Signed().HintForCode("SomethingNew", HttpStatusCode.InternalServerError).Should().Be(StsErrorAdvice.HintForStatus(HttpStatusCode.InternalServerError));

    [Fact]
    public void Explain_CodeWithMessage_QuotesItRedactedWithRequestIdAndHint()
    {
        string reason = Signed().Explain(Prefix, HttpStatusCode.Forbidden, Answer("InvalidAccessKeyId.NotFound", "req-1", $"key {Secret} not found"));

        reason.Should().StartWith(Prefix + ", Code InvalidAccessKeyId.NotFound: ")
            .And.Contain("(RequestId req-1). Check that the RoleArn")
            .And.NotContain(Secret);
    }

    [Fact]
    public void Explain_SignatureDoesNotMatchWithSameStringToSign_BlamesTheSecret()
    {
        AssumeRoleSigner signer = Signer();
        signer.Sign();

        string reason = Signed(signer).Explain(Prefix, HttpStatusCode.BadRequest, Answer("SignatureDoesNotMatch", "req-2", "Specified signature is not matched with our calculation. server string to sign is:" + signer.LastStringToSign));

        reason.Should().Contain("STS computed the same string to sign, so the AccessKey secret is wrong").And.Contain("(from static_ak)");
    }

    [Fact]
    public void Explain_NoCode_DescribesTheBodyWithoutQuotingItAndTheStatusHint()
    {
        string reason = Oidc().Explain(Prefix, HttpStatusCode.NotFound, ErrorBody.Parse($"<html>{Secret}</html>", "text/html", [Secret]));

        reason.Should().Be(Prefix + " without an STS error code (a text/html body of 35 characters). Check that the STS endpoint is right.");
    }
}

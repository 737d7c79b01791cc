using System.Net;
using CloudCredentials.Internal;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// Explains an STS error answer to the user: what its <c>Code</c> (or, without one, its HTTP status) means for this
/// call and what to do next — a wrong AccessKey secret or a rewritten request for <c>SignatureDoesNotMatch</c>, the
/// trust policy for <c>NoPermission</c>, the signing credential for <c>InvalidAccessKeyId</c>, and so on. STS's own
/// message and the body are quoted only with the call's secrets redacted.
/// </summary>
internal sealed class StsErrorAdvice
{
    private readonly string _roleArn;
    private readonly string?[] _secrets;
    private readonly AssumeRoleSigner? _signing;
    private readonly CloudCredential? _signingCredential;

    /// <summary>Creates the advice for one call.</summary>
    /// <param name="roleArn">The role the call asked for.</param>
    /// <param name="secrets">The call's secrets, redacted wherever the body or STS's message is quoted.</param>
    /// <param name="signing">The signer of an AssumeRole call; <see langword="null"/> for the unsigned AssumeRoleWithOIDC.</param>
    /// <param name="signingCredential">The credential AssumeRole was signed with; <see langword="null"/> for AssumeRoleWithOIDC.</param>
    public StsErrorAdvice(string roleArn, string?[] secrets, AssumeRoleSigner? signing, CloudCredential? signingCredential)
    {
        ArgumentNullException.ThrowIfNull(roleArn);
        ArgumentNullException.ThrowIfNull(secrets);
        _roleArn = roleArn;
        _secrets = secrets;
        _signing = signing;
        _signingCredential = signingCredential;
    }

    /// <summary>Builds the reason of the error: the answer, STS's code, message and request id, and the advice.</summary>
    /// <param name="prefix">Names the call and the answer, such as <c>STS AssumeRole at https://sts.aliyuncs.com/ answered 403 (Forbidden)</c>.</param>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="body">The body of the answer (quoted, redacted, when it has no <c>Code</c>).</param>
    /// <param name="code">The STS error <c>Code</c>, if any.</param>
    /// <param name="requestId">The STS <c>RequestId</c>, if any.</param>
    /// <param name="upstreamMessage">The STS <c>Message</c>, if any.</param>
    /// <returns>The reason; it may end with white space.</returns>
    public string Explain(string prefix, HttpStatusCode status, string body, string? code, string? requestId, string? upstreamMessage)
    {
        string reason;
        if (code is null)
        {
            reason = $"{prefix} without an STS error code: {SecretRedactor.RedactBody(body, _secrets, 160)}. {HintForStatus(status)}";
        }
        else if (string.Equals(code, "SignatureDoesNotMatch", StringComparison.Ordinal) && _signing is not null)
        {
            string? serverStringToSign = SecretRedactor.ExtractServerStringToSign(upstreamMessage);
            string keyId = CloudCredential.MaskAccessKeyId(_signingCredential?.AccessKeyId);
            reason = serverStringToSign is not null && string.Equals(serverStringToSign, _signing.LastStringToSign, StringComparison.Ordinal)
                ? $"{prefix}, Code SignatureDoesNotMatch (RequestId {requestId ?? "none"}): STS computed the same string to sign, so the AccessKey secret is wrong. Check the AccessKeySecret that goes with AccessKeyId {keyId} (from {_signingCredential?.ProviderName})."
                : $"{prefix}, Code SignatureDoesNotMatch (RequestId {requestId ?? "none"}): STS computed a different string to sign than this client, so the request was changed on its way (a proxy rewriting the URL or body?), or the AccessKeySecret that goes with AccessKeyId {keyId} is wrong.";
        }
        else
        {
            string message = SecretRedactor.RedactMessage(upstreamMessage, _secrets);
            reason = $"{prefix}, Code {code}: {(message.Length == 0 ? "(no message)" : message)} (RequestId {requestId ?? "none"}). {HintForCode(code, status)}";
        }

        return reason;
    }

    /// <summary>What to do next about an STS error code; falls back to <see cref="HintForStatus"/>.</summary>
    /// <param name="code">The STS error code.</param>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <returns>The hint, or empty.</returns>
    internal string HintForCode(string code, HttpStatusCode status)
    {
        if (code.StartsWith("Throttling", StringComparison.Ordinal))
        {
            return "STS is throttling calls; the call was retried. Lower the refresh rate or ask for a higher quota.";
        }

        if (code.StartsWith("NoPermission", StringComparison.Ordinal) || code.StartsWith("Forbidden", StringComparison.Ordinal))
        {
            return _signing is null
                ? $"Check that role {_roleArn} trusts the OIDC provider and that the token's audience and subject match its trust policy."
                : $"Check that the signing identity may call sts:AssumeRole and that the trust policy of role {_roleArn} allows it.";
        }

        if (code.StartsWith("EntityNotExist", StringComparison.Ordinal) || code.Contains("NotFound", StringComparison.Ordinal))
        {
            return $"Check that the RoleArn ({_roleArn}), the AccessKeyId and the OIDC provider ARN exist.";
        }

        if (code.StartsWith("InvalidParameter", StringComparison.Ordinal) || code.StartsWith("MissingParameter", StringComparison.Ordinal))
        {
            return "Check RoleArn, RoleSessionName (2-64 characters of letters, digits, . @ - _), RoleSessionExpiration (900 up to the role's maximum session duration) and Policy.";
        }

        if (code.StartsWith("InvalidSecurityToken", StringComparison.Ordinal) || code.StartsWith("InvalidAccessKeyId", StringComparison.Ordinal))
        {
            return "The signing credential is not valid (expired session token or deleted AccessKey); check where it comes from.";
        }

        return HintForStatus(status);
    }

    /// <summary>What to do next about an HTTP status when STS gave no (known) error code.</summary>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <returns>The hint, or empty.</returns>
    internal static string HintForStatus(HttpStatusCode status) => (int)status switch
    {
        >= 500 => "STS is unavailable; the call was retried. Try again later.",
        429 => "STS is throttling calls; the call was retried.",
        404 => "Check that the STS endpoint is right.",
        _ => string.Empty,
    };
}

using System.Net;
using CloudCredentials.Http;

namespace CloudCredentials.Alibaba.Sts;

/// <summary>
/// Explains an STS error answer to the user: what its <c>Code</c> (or, without one, its HTTP status) means for this
/// call and what to do next — a wrong AccessKey secret or a rewritten request for <c>SignatureDoesNotMatch</c>, the
/// trust policy for <c>NoPermission</c>, the signing credential for <c>InvalidAccessKeyId</c>, and so on. Only what
/// <see cref="ErrorBody"/> keeps of the answer is quoted: STS's code, message and request id, secrets masked.
/// </summary>
internal sealed class StsErrorAdvice
{
    private readonly string _roleArn;
    private readonly AssumeRoleSigner? _signing;
    private readonly CloudCredential? _signingCredential;

    /// <summary>Creates the advice for one call.</summary>
    /// <param name="roleArn">The role the call asked for.</param>
    /// <param name="signing">The signer of an AssumeRole call; <see langword="null"/> for the unsigned AssumeRoleWithOIDC.</param>
    /// <param name="signingCredential">The credential AssumeRole was signed with; <see langword="null"/> for AssumeRoleWithOIDC.</param>
    public StsErrorAdvice(string roleArn, AssumeRoleSigner? signing, CloudCredential? signingCredential)
    {
        ArgumentNullException.ThrowIfNull(roleArn);
        _roleArn = roleArn;
        _signing = signing;
        _signingCredential = signingCredential;
    }

    /// <summary>Builds the reason of the error: the answer, STS's code, message and request id, and the advice.</summary>
    /// <param name="prefix">Names the call and the answer, such as <c>STS AssumeRole at https://sts.aliyuncs.com/ answered 403 (Forbidden)</c>.</param>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="error">The quotable parts of the answer (see <see cref="ErrorBody"/>).</param>
    /// <returns>The reason; it may end with white space.</returns>
    public string Explain(string prefix, HttpStatusCode status, ErrorBody error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string requestId = error.RequestId ?? "none";
        if (error.Code is not { } code)
        {
            return $"{prefix} without an STS error code{error.Describe()}. {HintForStatus(status)}";
        }

        if (string.Equals(code, "SignatureDoesNotMatch", StringComparison.Ordinal) && _signing is not null)
        {
            string keyId = CloudCredential.MaskAccessKeyId(_signingCredential?.AccessKeyId);
            return error.ServerStringToSign is { } serverStringToSign && string.Equals(serverStringToSign, _signing.LastStringToSign, StringComparison.Ordinal)
                ? $"{prefix}, Code SignatureDoesNotMatch (RequestId {requestId}): STS computed the same string to sign, so the AccessKey secret is wrong. Check the AccessKeySecret that goes with AccessKeyId {keyId} (from {_signingCredential?.ProviderName})."
                : $"{prefix}, Code SignatureDoesNotMatch (RequestId {requestId}): STS computed a different string to sign than this client, so the request was changed on its way (a proxy rewriting the URL or body?), or the AccessKeySecret that goes with AccessKeyId {keyId} is wrong.";
        }

        return $"{prefix}, Code {code}: {error.Message ?? "(no message)"} (RequestId {requestId}). {HintForCode(code, status)}";
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

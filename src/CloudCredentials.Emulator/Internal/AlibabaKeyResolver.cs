namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// Finds the secret of an Alibaba AccessKey ID for a signature check, for both RPC V2 (<c>SecurityToken</c> parameter) and
/// V3 (<c>x-acs-security-token</c> header): a configured permanent key must come without a token; an STS key the
/// emulator issued needs its own token, unexpired.
/// </summary>
internal sealed class AlibabaKeyResolver(EmulatorSettings settings, IssuedCredentialStore issued)
{
    /// <summary>True with the secret (and the issued credential, for an STS key); otherwise <paramref name="error"/> says why not.</summary>
    public bool TryFindSecret(string accessKeyId, string? securityToken, out string secret, out IssuedCredential? stsKey, out StsError error)
    {
        secret = string.Empty;
        stsKey = null;
        error = default;
        if (settings.AccessKeys.TryGetValue(accessKeyId, out string? permanent))
        {
            if (!string.IsNullOrEmpty(securityToken))
            {
                error = TokenMismatch();
                return false;
            }

            secret = permanent;
            return true;
        }

        if (!issued.TryGet(accessKeyId, out IssuedCredential found))
        {
            error = new StsError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
            return false;
        }

        if (string.IsNullOrEmpty(securityToken))
        {
            error = StsError.BadRequest("MissingSecurityToken", "SecurityToken is mandatory for this action.");
            return false;
        }

        if (!Signing.SigningText.SameSignature(found.SecurityToken, securityToken))
        {
            error = TokenMismatch();
            return false;
        }

        if (settings.TimeProvider.GetUtcNow() >= found.Expiration)
        {
            error = StsError.BadRequest("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
            return false;
        }

        secret = found.AccessKeySecret;
        stsKey = found;
        return true;
    }

    private static StsError TokenMismatch() =>
        StsError.BadRequest("InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.");
}

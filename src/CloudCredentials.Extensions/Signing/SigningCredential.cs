namespace CloudCredentials.Signing;

/// <summary>Checks that a credential can sign with an AccessKey pair.</summary>
internal static class SigningCredential
{
    /// <summary>Returns the key id and secret, or throws naming what is missing (never a value).</summary>
    public static (string AccessKeyId, string Secret) RequireKeyPair(CloudCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (string.IsNullOrEmpty(credential.AccessKeyId) || string.IsNullOrEmpty(credential.AccessKeySecret))
        {
            throw new ArgumentException(
                $"The credential from provider '{credential.ProviderName}' (type {credential.Type}) has no AccessKeyId/AccessKeySecret pair to sign with.",
                nameof(credential));
        }

        return (credential.AccessKeyId, credential.AccessKeySecret);
    }
}

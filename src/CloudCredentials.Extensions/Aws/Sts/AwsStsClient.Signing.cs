namespace CloudCredentials.Aws.Sts;

internal sealed partial class AwsStsClient
{
    // TODO(awscore): replaced by the SigV4Signer of branch 'sign' once it is merged.
    private void Sign(HttpRequestMessage message, AwsStsEndpoint endpoint, CloudCredential source)
    {
        _ = message;
        _ = source;
        throw new CredentialUnavailableException(AwsCredentialProviderNames.AssumeRole, $"SigV4 signing is not available yet (endpoint {endpoint.Uri})", null);
    }
}

namespace CloudCredentials.Signing;

/// <summary>Options of the AWS SigV4 signing handler of one HttpClient.</summary>
public sealed class AwsSigV4SigningOptions
{
    /// <summary>Gets or sets the signing name of the service, such as <c>sts</c>, <c>s3</c> or <c>execute-api</c>.</summary>
    /// <value>Set by <c>AddAwsSigV4Signing(service, region)</c>; required.</value>
    public string Service { get; set; } = string.Empty;

    /// <summary>Gets or sets the signing region, such as <c>us-east-1</c>.</summary>
    /// <value>Set by <c>AddAwsSigV4Signing(service, region)</c>; required.</value>
    public string Region { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the name of the credential registration that signs (a keyed <see cref="ICredentialSource"/>), or
    /// <see langword="null"/> for the default registration.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CredentialName { get; set; }

    /// <summary>Gets or sets a value indicating whether to sign <see cref="SigV4Signer.UnsignedPayload"/> instead of the body hash (S3 over HTTPS only).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool UseUnsignedPayload { get; set; }

    /// <summary>Gets or sets whether to send and sign <c>x-amz-content-sha256</c>, or <see langword="null"/> for the service default.</summary>
    /// <value>The default is <see langword="null"/>: sent for <c>s3</c> (which requires it), not for other services.</value>
    public bool? SetContentSha256Header { get; set; }
}

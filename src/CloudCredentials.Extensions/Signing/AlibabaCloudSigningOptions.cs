namespace CloudCredentials.Signing;

/// <summary>Options of the Alibaba Cloud (ACS3) signing handler of one HttpClient.</summary>
public sealed class AlibabaCloudSigningOptions
{
    /// <summary>
    /// Gets or sets the name of the credential registration that signs (<c>AddCloudCredentials(name, ...)</c>, a keyed
    /// <see cref="ICredentialSource"/>), or <see langword="null"/> for the default registration.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? CredentialName { get; set; }

    /// <summary>
    /// Gets or sets the action used when a request sets none (no <c>x-acs-action</c> header and no
    /// <see cref="AcsRequestOptions.SetAcsAction"/>), for a client that calls one API.
    /// </summary>
    /// <value>The default is <see langword="null"/>: every request names its action.</value>
    public string? DefaultAction { get; set; }

    /// <summary>Gets or sets the API version used when a request sets none, such as <c>2014-05-26</c> for ECS.</summary>
    /// <value>The default is <see langword="null"/>: every request names its version.</value>
    public string? DefaultVersion { get; set; }
}

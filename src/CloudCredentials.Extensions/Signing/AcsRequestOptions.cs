namespace CloudCredentials.Signing;

/// <summary>
/// Per-request settings of an Alibaba Cloud OpenAPI call, carried in <see cref="HttpRequestMessage.Options"/>: the API
/// action and version (sent as <c>x-acs-action</c> and <c>x-acs-version</c>). Headers the caller sets take precedence.
/// </summary>
public static class AcsRequestOptions
{
    /// <summary>The API name, such as <c>GetCallerIdentity</c>.</summary>
    public static readonly HttpRequestOptionsKey<string> Action = new("CloudCredentials.Acs.Action");

    /// <summary>The API version, such as <c>2015-04-01</c>.</summary>
    public static readonly HttpRequestOptionsKey<string> Version = new("CloudCredentials.Acs.Version");

    /// <summary>Sets the action and version of an Alibaba Cloud OpenAPI call.</summary>
    /// <param name="request">The request.</param>
    /// <param name="action">The API name, such as <c>DescribeInstances</c>.</param>
    /// <param name="version">The API version, such as <c>2014-05-26</c>.</param>
    /// <returns>The request, for chaining.</returns>
    public static HttpRequestMessage SetAcsAction(this HttpRequestMessage request, string action, string version)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        request.Options.Set(Action, action);
        request.Options.Set(Version, version);
        return request;
    }
}

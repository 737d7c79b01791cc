namespace CloudCredentials;

/// <summary>The values of <see cref="CloudCredentialsOptions.Cloud"/> (compared case-insensitively).</summary>
public static class CloudNames
{
    /// <summary>Alibaba Cloud, the default: <c>alibaba</c>.</summary>
    public const string Alibaba = "alibaba";

    /// <summary>Amazon Web Services: <c>aws</c>.</summary>
    public const string Aws = "aws";
}

using System.Globalization;
using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Aws.InstanceMetadata;

/// <summary>The EC2 instance metadata (IMDS) role credential (<c>aws/instance_metadata</c>), resolved by <see cref="Resolve"/>.</summary>
/// <param name="Endpoint">The metadata service, normally <c>http://169.254.169.254</c>.</param>
/// <param name="DisableV1">Whether the fallback to IMDSv1 (after a token PUT answered 403/404/405) is disabled.</param>
/// <param name="Timeout">The timeout of each HTTP attempt (<c>AWS_METADATA_SERVICE_TIMEOUT</c>, default 1 s).</param>
/// <param name="Attempts">The attempts per request (<c>AWS_METADATA_SERVICE_NUM_ATTEMPTS</c>, default 1).</param>
internal sealed record InstanceMetadataSpec(Uri Endpoint, bool DisableV1, TimeSpan Timeout, int Attempts) : CredentialSpec
{
    /// <summary>The provider name.</summary>
    public const string ProviderName = "aws/instance_metadata";

    /// <summary>The credential type of what it produces.</summary>
    public const string CredentialType = "instance_metadata";

    /// <summary>The service key of the AWS IMDSv2 token cache (a keyed <see cref="ImdsTokenCache"/> singleton, apart from the Alibaba one).</summary>
    public const string TokenCacheKey = "aws";

    /// <summary>The IPv4 endpoint (mode <c>IPv4</c>, the default).</summary>
    public const string Ipv4Endpoint = "http://169.254.169.254";

    /// <summary>The IPv6 endpoint (mode <c>IPv6</c>).</summary>
    public const string Ipv6Endpoint = "http://[fd00:ec2::254]";

    /// <summary>The longest accepted <c>AWS_METADATA_SERVICE_TIMEOUT</c>, in seconds.</summary>
    public const int MaxTimeoutSeconds = 300;

    /// <summary>The most accepted <c>AWS_METADATA_SERVICE_NUM_ATTEMPTS</c>.</summary>
    public const int MaxAttempts = 10;

    /// <summary>
    /// Applies the IMDS policy once: <c>AWS_EC2_METADATA_DISABLED=true</c> declines; the endpoint is
    /// <paramref name="endpointOverride"/>, else <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>, else the address of
    /// <c>AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE</c> (IPv4 or IPv6, case-insensitive; default IPv4);
    /// <c>AWS_EC2_METADATA_V1_DISABLED=true</c> forbids the IMDSv1 fallback; <c>AWS_METADATA_SERVICE_TIMEOUT</c> (seconds,
    /// default 1) and <c>AWS_METADATA_SERVICE_NUM_ATTEMPTS</c> (default 1) bound each request.
    /// </summary>
    /// <param name="endpointOverride">The options' <c>MetadataEndpoint</c>, or <see langword="null"/>; wins over the environment.</param>
    /// <param name="errors">Receives one message per invalid value, naming the variable or setting and the fix.</param>
    /// <returns>The spec; a <see cref="DeclinedSpec"/> when IMDS is disabled; <see langword="null"/> after adding to <paramref name="errors"/>.</returns>
    public static CredentialSpec? Resolve(string? endpointOverride, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (AwsEnvironment.IsTrue(AwsEnvironment.Ec2MetadataDisabled))
        {
            return new DeclinedSpec(ProviderName, $"IMDS credentials are disabled by {AwsEnvironment.Ec2MetadataDisabled}=true");
        }

        int before = errors.Count;
        Uri? endpoint = ResolveEndpoint(endpointOverride, errors);
        TimeSpan timeout = ParseTimeout(errors);
        int attempts = ParseAttempts(errors);
        if (errors.Count > before || endpoint is null)
        {
            return null;
        }

        return new InstanceMetadataSpec(endpoint, AwsEnvironment.IsTrue(AwsEnvironment.Ec2MetadataV1Disabled), timeout, attempts);
    }

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ImdsTokenCache tokens = context.Services.GetRequiredKeyedService<ImdsTokenCache>(TokenCacheKey);
        ILogger logger = context.LoggerFactory.CreateLogger<Ec2MetadataClient>();

        // The no-retry metadata client (1 s, no proxy): the attempts and the timeout are this spec's (the AWS defaults).
        return new InstanceMetadataProvider(
            () => new Ec2MetadataClient(context.CreateHttpClient(CloudCredentialsHttpClients.MetadataProbe), tokens, this, context.TimeProvider, logger),
            logger);
    }

    private static Uri? ResolveEndpoint(string? endpointOverride, List<string> errors)
    {
        if (!string.IsNullOrWhiteSpace(endpointOverride))
        {
            return ParseEndpoint(endpointOverride.Trim(), "MetadataEndpoint", errors);
        }

        if (AwsEnvironment.Get(AwsEnvironment.Ec2MetadataServiceEndpoint) is { } configured)
        {
            return ParseEndpoint(configured.Trim(), AwsEnvironment.Ec2MetadataServiceEndpoint, errors);
        }

        string? mode = AwsEnvironment.Get(AwsEnvironment.Ec2MetadataServiceEndpointMode)?.Trim();
        if (mode is null || mode.Equals("IPv4", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(Ipv4Endpoint);
        }

        if (mode.Equals("IPv6", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(Ipv6Endpoint);
        }

        errors.Add($"{AwsEnvironment.Ec2MetadataServiceEndpointMode}='{Quote(mode)}' is not a valid IMDS endpoint mode: use IPv4 or IPv6 (or unset it for IPv4).");
        return null;
    }

    private static Uri? ParseEndpoint(string value, string setting, List<string> errors)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            if (string.IsNullOrEmpty(uri.UserInfo))
            {
                return uri;
            }

            errors.Add($"{setting} must not carry user info (user:password@): use a plain http(s) URL such as {Ipv4Endpoint}.");
            return null;
        }

        errors.Add($"{setting}='{Quote(value)}' is not a valid IMDS endpoint: use an absolute http(s) URL such as {Ipv4Endpoint} (or unset it).");
        return null;
    }

    private static TimeSpan ParseTimeout(List<string> errors)
    {
        string? text = AwsEnvironment.Get(AwsEnvironment.MetadataServiceTimeout)?.Trim();
        if (text is null)
        {
            return TimeSpan.FromSeconds(1);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 && seconds <= MaxTimeoutSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add($"{AwsEnvironment.MetadataServiceTimeout}='{Quote(text)}' is not a valid IMDS timeout: use a number of seconds greater than 0 and at most {MaxTimeoutSeconds} (default 1).");
        return default;
    }

    private static int ParseAttempts(List<string> errors)
    {
        string? text = AwsEnvironment.Get(AwsEnvironment.MetadataServiceNumAttempts)?.Trim();
        if (text is null)
        {
            return 1;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int attempts) && attempts is >= 1 and <= MaxAttempts)
        {
            return attempts;
        }

        errors.Add($"{AwsEnvironment.MetadataServiceNumAttempts}='{Quote(text)}' is not a valid number of IMDS attempts: use a whole number from 1 to {MaxAttempts} (default 1).");
        return default;
    }

    // Settings are not secret, but are echoed bounded so a pasted blob does not flood the message.
    private static string Quote(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 64), "…");
}

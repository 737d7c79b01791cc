using System.Diagnostics;

namespace CloudCredentials.Diagnostics;

/// <summary>The tracing source and the metric/trace tag names of the package. Nothing secret is ever tagged.</summary>
internal static class CloudCredentialsTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the meter: <c>CloudCredentials</c>.</summary>
    public const string Name = "CloudCredentials";

    /// <summary>The name of the span around each provider fetch.</summary>
    public const string FetchActivityName = "CloudCredentials.Fetch";

    /// <summary>Tag: the registration name of the cache.</summary>
    public const string RegistrationTag = "cloudcredentials.registration";

    /// <summary>Tag: the provider name.</summary>
    public const string ProviderTag = "cloudcredentials.provider";

    /// <summary>Tag: the type of the fetched credential.</summary>
    public const string CredentialTypeTag = "cloudcredentials.credential.type";

    /// <summary>Tag: the expiration of the fetched credential (ISO 8601 UTC) or <c>never</c>.</summary>
    public const string ExpirationTag = "cloudcredentials.credential.expiration";

    /// <summary>Tag: the type of the failure (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Gets the activity source: one span per provider fetch.</summary>
    public static ActivitySource ActivitySource { get; } =
        new(Name, typeof(CloudCredentialsTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the span around a fetch, or returns <see langword="null"/> when nobody listens.</summary>
    /// <param name="registrationName">The registration the cache serves.</param>
    /// <param name="providerName">The provider about to be called.</param>
    /// <returns>The started activity, or <see langword="null"/>.</returns>
    public static Activity? StartFetch(string registrationName, string providerName)
    {
        Activity? activity = ActivitySource.StartActivity(FetchActivityName, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(RegistrationTag, registrationName);
            activity.SetTag(ProviderTag, providerName);
        }

        return activity;
    }
}

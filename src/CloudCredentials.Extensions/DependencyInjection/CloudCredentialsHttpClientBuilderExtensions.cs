using CloudCredentials;
using CloudCredentials.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds request signing to an <see cref="IHttpClientBuilder"/>: every attempt asks the registered
/// <see cref="ICredentialSource"/> for the current credential and signs the request with it.
/// </summary>
/// <remarks>
/// Order: call these <em>after</em> <c>AddStandardResilienceHandler</c>/<c>AddResilienceHandler</c>. Handlers added later
/// sit inside the earlier ones, so each retry passes through the signer again and gets a new date, nonce, credential
/// and signature (SIGNING.md §3.2); a handler that changes signed headers must be added before the signer.
/// </remarks>
public static class CloudCredentialsHttpClientBuilderExtensions
{
    /// <summary>Signs the client's requests with Alibaba Cloud OpenAPI signature V3 (ACS3-HMAC-SHA256, or the bearer form).</summary>
    /// <param name="builder">The HttpClient builder.</param>
    /// <param name="configure">Sets the credential registration and default action/version, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddAlibabaCloudSigning(this IHttpClientBuilder builder, Action<AlibabaCloudSigningOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Configure(builder, configure);
        return builder.AddHttpMessageHandler(sp =>
        {
            AlibabaCloudSigningOptions options = sp.GetRequiredService<IOptionsMonitor<AlibabaCloudSigningOptions>>().Get(builder.Name);
            return new AlibabaCloudSigningHandler(
                Credentials(sp, options.CredentialName, builder.Name, nameof(AddAlibabaCloudSigning)), options,
                sp.GetService<TimeProvider>(), sp.GetService<ILogger<AlibabaCloudSigningHandler>>());
        });
    }

    /// <summary>Signs the client's requests with Alibaba Cloud OpenAPI signature V3 using a named credential registration.</summary>
    /// <param name="builder">The HttpClient builder.</param>
    /// <param name="credentialName">The name given to <c>AddCloudCredentials(name, ...)</c>.</param>
    /// <param name="configure">Sets the default action/version, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddAlibabaCloudSigning(this IHttpClientBuilder builder, string credentialName, Action<AlibabaCloudSigningOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(credentialName);
        return builder.AddAlibabaCloudSigning(o =>
        {
            o.CredentialName = credentialName;
            configure?.Invoke(o);
        });
    }

    /// <summary>Signs the client's requests with AWS Signature Version 4.</summary>
    /// <param name="builder">The HttpClient builder.</param>
    /// <param name="service">The signing name, such as <c>sts</c>, <c>s3</c>, <c>execute-api</c>.</param>
    /// <param name="region">The signing region, such as <c>us-east-1</c>.</param>
    /// <param name="configure">Sets the credential registration and payload options, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="service"/> or <paramref name="region"/> is empty.</exception>
    public static IHttpClientBuilder AddAwsSigV4Signing(this IHttpClientBuilder builder, string service, string region, Action<AwsSigV4SigningOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        Configure<AwsSigV4SigningOptions>(builder, o =>
        {
            o.Service = service;
            o.Region = region;
            configure?.Invoke(o);
        });
        return builder.AddHttpMessageHandler(sp =>
        {
            AwsSigV4SigningOptions options = sp.GetRequiredService<IOptionsMonitor<AwsSigV4SigningOptions>>().Get(builder.Name);
            return new AwsSigV4SigningHandler(
                Credentials(sp, options.CredentialName, builder.Name, nameof(AddAwsSigV4Signing)), options,
                sp.GetService<TimeProvider>(), sp.GetService<ILogger<AwsSigV4SigningHandler>>());
        });
    }

    /// <summary>Signs the client's requests with AWS Signature Version 4 using a named credential registration.</summary>
    /// <param name="builder">The HttpClient builder.</param>
    /// <param name="service">The signing name.</param>
    /// <param name="region">The signing region.</param>
    /// <param name="credentialName">The name given to <c>AddCloudCredentials(name, ...)</c>.</param>
    /// <param name="configure">Sets the payload options, or <see langword="null"/>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddAwsSigV4Signing(this IHttpClientBuilder builder, string service, string region, string credentialName, Action<AwsSigV4SigningOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(credentialName);
        return builder.AddAwsSigV4Signing(service, region, o =>
        {
            o.CredentialName = credentialName;
            configure?.Invoke(o);
        });
    }

    private static void Configure<TOptions>(IHttpClientBuilder builder, Action<TOptions>? configure)
        where TOptions : class
    {
        OptionsBuilder<TOptions> options = builder.Services.AddOptions<TOptions>(builder.Name);
        if (configure is not null)
        {
            options.Configure(configure);
        }
    }

    /// <summary>The default or keyed credential source, or a clear error naming the client and the missing registration.</summary>
    private static ICredentialSource Credentials(IServiceProvider sp, string? credentialName, string clientName, string method)
    {
        ICredentialSource? source = string.IsNullOrEmpty(credentialName)
            ? sp.GetService<ICredentialSource>()
            : sp.GetKeyedService<ICredentialSource>(credentialName);
        return source ?? throw new InvalidOperationException(string.IsNullOrEmpty(credentialName)
            ? $"HttpClient '{clientName}' uses {method} but no credential is registered: call services.AddCloudCredentials(...)."
            : $"HttpClient '{clientName}' uses {method} with credential registration '{credentialName}', which is not registered: call services.AddCloudCredentials(\"{credentialName}\", ...).");
    }
}

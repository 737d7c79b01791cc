using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Aws.InstanceMetadata;
using CloudCredentials.Credentials;
using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>A <see cref="ProviderBuildContext"/> for tests that build specs outside a host: plain HttpClients, the system clock.</summary>
internal static class TestBuildContext
{
    /// <summary>Gets a context shared by tests that only build static specs.</summary>
    public static ProviderBuildContext Shared { get; } = Create();

    /// <summary>Creates a context whose services hold what specs need (IHttpClientFactory, the IMDS token cache, the CLI config writer).</summary>
    public static ProviderBuildContext Create(TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddHttpClient();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddSingleton<ImdsTokenCache>();
        services.AddKeyedSingleton<ImdsTokenCache>(InstanceMetadataSpec.TokenCacheKey);
        services.AddSingleton(new CliConfigWriter());
        return new ProviderBuildContext("t", "t", new CredentialRefreshOptions(), services.BuildServiceProvider());
    }

    /// <summary>Builds a spec with <see cref="Shared"/>.</summary>
    public static ICredentialProvider Build(CredentialSpec spec) => spec.Build(Shared);
}

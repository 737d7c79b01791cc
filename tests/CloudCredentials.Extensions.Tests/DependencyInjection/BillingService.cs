using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>An app service that takes the named "billing" credential source through <see cref="FromKeyedServicesAttribute"/>.</summary>
public sealed class BillingService([FromKeyedServices("billing")] ICredentialSource credentials)
{
    public ICredentialSource Credentials { get; } = credentials;
}

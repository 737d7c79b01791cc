namespace CloudCredentials.Tests.DependencyInjection;

/// <summary>An app service that takes the default credential source by constructor injection.</summary>
public sealed class StorageService(ICredentialSource credentials)
{
    public ICredentialSource Credentials { get; } = credentials;
}

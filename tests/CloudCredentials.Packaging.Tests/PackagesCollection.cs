namespace CloudCredentials.Packaging.Tests;

/// <summary>One pack for every packaging test (packing takes most of their time).</summary>
[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackageFolder>
{
    public const string Name = "packages";
}

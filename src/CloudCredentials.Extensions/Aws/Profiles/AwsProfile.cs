namespace CloudCredentials.Aws.Profiles;

/// <summary>One profile of the shared files, its keys lower-cased, the credentials file's values merged over the config file's.</summary>
/// <param name="Name">The profile name (<c>default</c>, or X of <c>[profile X]</c> / <c>[X]</c>).</param>
/// <param name="Values">The keys (lower-cased) and values.</param>
internal sealed record AwsProfile(string Name, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Gets a key's value, or <see langword="null"/> when it is absent or blank.</summary>
    public string? Get(string key) => Values.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Whether the key is present (even blank).</summary>
    public bool Has(string key) => Values.ContainsKey(key);

    /// <summary>Whether the profile has static keys (<c>aws_access_key_id</c> or <c>aws_secret_access_key</c>).</summary>
    public bool HasStaticKeys => Get("aws_access_key_id") is not null || Get("aws_secret_access_key") is not null;

    /// <summary>Gets the profile's STS settings (<c>endpoint_url</c>, <c>region</c>) and its name for errors, as the STS endpoint rule takes them.</summary>
    public (string? EndpointUrl, string? Region, string Name) StsSettings => (Get("endpoint_url"), Get("region"), $"profile '{Name}'");

    /// <summary>Describes the profile without values (they may be secrets): its name and keys.</summary>
    public override string ToString() => $"AwsProfile {{ Name = {Name}, Keys = {string.Join(", ", Values.Keys)} }}";
}

namespace CloudCredentials.Emulator.Internal.AcsV3;

/// <summary>Who made an authenticated V3 call.</summary>
/// <param name="AccessKeyId">The AccessKey ID from <c>Credential=</c>; empty for a bearer call.</param>
/// <param name="Issued">The STS credential the emulator issued under that ID; <see langword="null"/> for a configured permanent key or a bearer token.</param>
/// <param name="SignatureType"><c>ACS3-HMAC-SHA256</c> or <c>BEARERTOKEN</c>.</param>
internal sealed record AcsV3Caller(string AccessKeyId, IssuedCredential? Issued, string SignatureType)
{
    public const string BearerType = "BEARERTOKEN";

    /// <summary>Never prints the credential's secret or token.</summary>
    public override string ToString() => $"AcsV3Caller {{ AccessKeyId = {AccessKeyId}, SignatureType = {SignatureType} }}";
}

namespace CloudCredentials.Emulator.Internal;

/// <summary>A fake STS credential the emulator handed out; kept so it can later sign a chained <c>AssumeRole</c>.</summary>
/// <param name="AccessKeyId">The access key ID.</param>
/// <param name="AccessKeySecret">The secret (AWS: secret access key).</param>
/// <param name="SecurityToken">The token (AWS: session token).</param>
/// <param name="Expiration">When it stops being accepted.</param>
/// <param name="Arn">The assumed-role ARN <c>GetCallerIdentity</c> reports for it; <see langword="null"/> when unknown.</param>
internal sealed record IssuedCredential(string AccessKeyId, string AccessKeySecret, string SecurityToken, DateTimeOffset Expiration, string? Arn = null)
{
    /// <summary>Never prints the secret or the token.</summary>
    public override string ToString() => $"IssuedCredential {{ AccessKeyId = {AccessKeyId}, Expiration = {Expiration:O} }}";
}

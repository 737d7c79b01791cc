namespace CloudCredentials.Emulator.Internal;

/// <summary>A fake STS credential the emulator handed out; kept so it can later sign a chained <c>AssumeRole</c>.</summary>
internal sealed record IssuedCredential(string AccessKeyId, string AccessKeySecret, string SecurityToken, DateTimeOffset Expiration)
{
    /// <summary>Never prints the secret or the token.</summary>
    public override string ToString() => $"IssuedCredential {{ AccessKeyId = {AccessKeyId}, Expiration = {Expiration:O} }}";
}

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>An AWS STS refusal: HTTP status, error <c>Code</c> and <c>Message</c>, worded as the real service words them.</summary>
internal readonly record struct AwsError(int Status, string Code, string Message)
{
    public static AwsError Validation(string message) => new(400, "ValidationError", message);

    public static AwsError InvalidClientTokenId() => new(403, "InvalidClientTokenId", "The security token included in the request is invalid.");

    public static AwsError Incomplete(string message) => new(400, "IncompleteSignature", message);

    public static AwsError SignatureDoesNotMatch(string message) => new(403, "SignatureDoesNotMatch", message);
}

using System.Globalization;
using CloudCredentials.Emulator.Internal.Signing;

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>
/// AWS STS's checks of a SigV4-signed Query API call (SIGNING.md §2): a parseable <c>Authorization</c>, <c>X-Amz-Date</c>
/// within the skew window, a scope for service <c>sts</c> on that date (any region), <c>host</c>/<c>x-amz-date</c>
/// (and the session token, when sent) among the signed headers, a known key (a configured key pair, or temporary
/// credentials the emulator issued — IMDS, container or STS — with their unexpired session token), and the recomputed signature.
/// </summary>
internal sealed class AwsSigV4Authenticator(EmulatorSettings settings, IssuedCredentialStore issued)
{
    public const string Service = "sts";
    private const string TokenHeader = "x-amz-security-token";

    public bool TryAuthenticate(CapturedRequest request, out IssuedCredential? caller, out string accessKeyId, out AwsError error)
    {
        caller = null;
        accessKeyId = string.Empty;
        string? header = request.Header("Authorization");
        if (string.IsNullOrEmpty(header))
        {
            return Refuse(new AwsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token"), out error);
        }

        if (!SigV4Signature.TryParseAuthorization(header, out SigV4Signature.Authorization auth))
        {
            return Refuse(AwsError.Incomplete(
                "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (" + SigV4Signature.Algorithm
                + " Credential=<key>/<date>/<region>/sts/aws4_request, SignedHeaders=<names>, Signature=<hex>)."), out error);
        }

        accessKeyId = auth.AccessKeyId;
        string? amzDate = request.Header("X-Amz-Date");
        if (!SigningText.TryParseUtc(amzDate, SigV4Signature.DateFormat, out DateTimeOffset sentAt))
        {
            return Refuse(AwsError.Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."), out error);
        }

        if (!TryCheckScope(auth, amzDate!, out error) || !TryCheckClock(amzDate!, sentAt, out error) || !TryCheckSignedHeaders(request, auth, out error)
            || !TryFindSecret(request, auth.AccessKeyId, out string secret, out caller, out error))
        {
            return false;
        }

        string payloadHash = request.Header("x-amz-content-sha256") ?? request.BodySha256;
        if (payloadHash != "UNSIGNED-PAYLOAD" && !string.Equals(payloadHash, request.BodySha256, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(AwsError.SignatureDoesNotMatch("The provided 'x-amz-content-sha256' header does not match what was computed."), out error);
        }

        string canonical = SigV4Signature.CanonicalRequest(request, auth.SignedHeaders, Service, payloadHash);
        string stringToSign = SigV4Signature.StringToSign(amzDate!, SigV4Signature.Scope(auth.Date8, auth.Region, auth.Service), canonical);
        if (!SigningText.SameSignature(SigV4Signature.Sign(secret, auth.Date8, auth.Region, auth.Service, stringToSign), auth.Signature))
        {
            return Refuse(AwsError.SignatureDoesNotMatch(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
                + "\n\nThe Canonical String for this request should have been (session token redacted)\n'" + SigningText.RedactHeaderLine(canonical, TokenHeader)
                + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n"), out error);
        }

        error = default;
        return true;
    }

    private static bool TryCheckScope(SigV4Signature.Authorization auth, string amzDate, out AwsError error)
    {
        if (auth.Terminator != "aws4_request")
        {
            return Refuse(AwsError.SignatureDoesNotMatch($"Credential should be scoped with a valid terminator: 'aws4_request', not '{auth.Terminator}'."), out error);
        }

        if (auth.Service != Service)
        {
            return Refuse(AwsError.SignatureDoesNotMatch($"Credential should be scoped to correct service: '{Service}'. "), out error);
        }

        if (auth.Date8 != amzDate[..8])
        {
            return Refuse(AwsError.SignatureDoesNotMatch(
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{auth.Date8}' != '{amzDate[..8]}', from '{amzDate}'."), out error);
        }

        error = default;
        return true;
    }

    private bool TryCheckClock(string amzDate, DateTimeOffset sentAt, out AwsError error)
    {
        error = default;
        if (settings.MaxTimestampSkew is not { } skew)
        {
            return true;
        }

        DateTimeOffset now = settings.TimeProvider.GetUtcNow();
        string minutes = skew.TotalMinutes.ToString(CultureInfo.InvariantCulture);
        if (sentAt < now - skew)
        {
            return Refuse(AwsError.SignatureDoesNotMatch(
                $"Signature expired: {amzDate} is now earlier than {SigV4Signature.FormatDate(now - skew)} ({SigV4Signature.FormatDate(now)} - {minutes} min.)"), out error);
        }

        if (sentAt > now + skew)
        {
            return Refuse(AwsError.SignatureDoesNotMatch(
                $"Signature not yet current: {amzDate} is still later than {SigV4Signature.FormatDate(now + skew)} ({SigV4Signature.FormatDate(now)} + {minutes} min.)"), out error);
        }

        return true;
    }

    private static bool TryCheckSignedHeaders(CapturedRequest request, SigV4Signature.Authorization auth, out AwsError error)
    {
        error = default;
        if (!auth.SignedHeaders.Contains("host"))
        {
            return Refuse(AwsError.Incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."), out error);
        }

        if (!auth.SignedHeaders.Contains("x-amz-date") || (request.Header(TokenHeader) is not null && !auth.SignedHeaders.Contains(TokenHeader)))
        {
            return Refuse(AwsError.Incomplete("The x-amz-date header (and x-amz-security-token, when sent) must be a 'SignedHeader' in the AWS Authorization."), out error);
        }

        return true;
    }

    private bool TryFindSecret(CapturedRequest request, string accessKeyId, out string secret, out IssuedCredential? caller, out AwsError error)
    {
        secret = string.Empty;
        caller = null;
        string? token = request.Header(TokenHeader);
        if (settings.Aws.AccessKeys.TryGetValue(accessKeyId, out string? permanent) && string.IsNullOrEmpty(token))
        {
            secret = permanent;
        }
        else if (issued.TryGet(accessKeyId, out IssuedCredential found) && token is not null && SigningText.SameSignature(found.SecurityToken, token))
        {
            if (settings.TimeProvider.GetUtcNow() >= found.Expiration)
            {
                return Refuse(new AwsError(403, "ExpiredToken", "The security token included in the request is expired"), out error);
            }

            secret = found.AccessKeySecret;
            caller = found;
        }
        else
        {
            return Refuse(AwsError.InvalidClientTokenId(), out error);
        }

        error = default;
        return true;
    }

    private static bool Refuse(AwsError refusal, out AwsError error)
    {
        error = refusal;
        return false;
    }
}

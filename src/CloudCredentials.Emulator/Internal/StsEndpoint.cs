using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// STS <c>2015-04-01</c> at <c>/</c>: <c>AssumeRole</c> (RPC signature V2 checked over the union of query and form with
/// the real HTTP method) and the anonymous <c>AssumeRoleWithOIDC</c>. Errors are POP error JSON, as the real service sends.
/// </summary>
internal sealed partial class StsEndpoint(
    EmulatorSettings settings,
    IssuedCredentialStore issued,
    NonceStore nonces,
    EmulatorStats stats)
{
    public const string Version = "2015-04-01";
    private const int MinDurationSeconds = 900;
    private const int MaxDurationSeconds = 43_200;
    private const int DefaultDurationSeconds = 3600;

    private static readonly string[] TimestampFormats = ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    public Task HandleAsync(HttpContext context, StsRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsPost(request.Method))
        {
            return ErrorAsync(context, 400, "UnsupportedHTTPMethod", "This http method is not supported.");
        }

        if (request.MalformedBody)
        {
            return ErrorAsync(context, 400, "InvalidParameter", "The request body is not a valid application/x-www-form-urlencoded form.");
        }

        string? action = request.Get("Action");
        if (string.IsNullOrEmpty(action))
        {
            return ErrorAsync(context, 400, "MissingAction", PopError.MissingMessage("Action"));
        }

        if (action is not ("AssumeRole" or "AssumeRoleWithOIDC"))
        {
            return ErrorAsync(context, 400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
        }

        string? version = request.Get("Version");
        if (string.IsNullOrEmpty(version))
        {
            return ErrorAsync(context, 400, "MissingVersion", PopError.MissingMessage("Version"));
        }

        if (!string.Equals(version, Version, StringComparison.Ordinal))
        {
            return ErrorAsync(context, 400, "InvalidVersion", "Specified parameter Version is not valid.");
        }

        return action == "AssumeRole" ? AssumeRoleAsync(context, request) : AssumeRoleWithOidcAsync(context, request);
    }

    private Task AssumeRoleAsync(HttpContext context, StsRequest request)
    {
        // 1. The gateway's common parameters and the signature.
        string? accessKeyId = request.Get("AccessKeyId");
        if (string.IsNullOrEmpty(accessKeyId))
        {
            return ErrorAsync(context, 400, "MissingAccessKeyId", "AccessKeyId is mandatory for this action.");
        }

        string? signatureMethod = request.Get("SignatureMethod");
        if (string.IsNullOrEmpty(signatureMethod))
        {
            return ErrorAsync(context, 400, "MissingSignatureMethod", PopError.MissingMessage("SignatureMethod"));
        }

        if (!string.Equals(signatureMethod, "HMAC-SHA1", StringComparison.Ordinal))
        {
            return ErrorAsync(context, 400, "InvalidSignatureMethod", "Specified signature method is not supported.");
        }

        string? signatureVersion = request.Get("SignatureVersion");
        if (string.IsNullOrEmpty(signatureVersion))
        {
            return ErrorAsync(context, 400, "MissingSignatureVersion", PopError.MissingMessage("SignatureVersion"));
        }

        if (!string.Equals(signatureVersion, "1.0", StringComparison.Ordinal))
        {
            return ErrorAsync(context, 400, "InvalidSignatureVersion", "Specified signature version is not supported.");
        }

        string? timestamp = request.Get("Timestamp");
        if (string.IsNullOrEmpty(timestamp))
        {
            return ErrorAsync(context, 400, "MissingTimestamp", PopError.MissingMessage("Timestamp"));
        }

        if (!DateTimeOffset.TryParseExact(timestamp, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset sentAt))
        {
            return ErrorAsync(context, 400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
        }

        if (settings.MaxTimestampSkew is { } skew && (settings.TimeProvider.GetUtcNow() - sentAt).Duration() > skew)
        {
            return ErrorAsync(context, 400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }

        string? nonce = request.Get("SignatureNonce");
        if (string.IsNullOrEmpty(nonce))
        {
            return ErrorAsync(context, 400, "MissingSignatureNonce", PopError.MissingMessage("SignatureNonce"));
        }

        string? signature = request.Get("Signature");
        if (string.IsNullOrEmpty(signature))
        {
            return ErrorAsync(context, 400, "MissingSignature", PopError.MissingMessage("Signature"));
        }

        string? securityToken = request.Get("SecurityToken");
        string secret;
        if (settings.AccessKeys.TryGetValue(accessKeyId, out string? permanentSecret))
        {
            if (!string.IsNullOrEmpty(securityToken))
            {
                return ErrorAsync(context, 400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.");
            }

            secret = permanentSecret;
        }
        else if (issued.TryGet(accessKeyId, out IssuedCredential stsKey))
        {
            if (string.IsNullOrEmpty(securityToken))
            {
                return ErrorAsync(context, 400, "MissingSecurityToken", "SecurityToken is mandatory for this action.");
            }

            if (!FixedTimeEquals(securityToken, stsKey.SecurityToken))
            {
                return ErrorAsync(context, 400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey.");
            }

            if (settings.TimeProvider.GetUtcNow() >= stsKey.Expiration)
            {
                return ErrorAsync(context, 400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
            }

            secret = stsKey.AccessKeySecret;
        }
        else
        {
            return ErrorAsync(context, 404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }

        if (!RpcSignatureVerifier.Verify(request.Method, request.All, secret, signature, out string serverStringToSign))
        {
            return ErrorAsync(
                context,
                400,
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:" + serverStringToSign);
        }

        if (!nonces.TryUse(nonce))
        {
            return ErrorAsync(context, 400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }

        // 2. The API's own parameters.
        if (!TryReadRoleArn(context, request, out RoleArnParts role, out Task? error)
            || !TryReadSessionName(context, request, required: true, out string sessionName, out error)
            || !TryReadDuration(context, request, out int durationSeconds, out error)
            || !TryCheckPolicy(context, request, out error))
        {
            return error!;
        }

        return SucceedAsync(context, role, sessionName, durationSeconds, oidcToken: null);
    }

    private Task AssumeRoleWithOidcAsync(HttpContext context, StsRequest request)
    {
        if (!TryReadRoleArn(context, request, out RoleArnParts role, out Task? error))
        {
            return error!;
        }

        string? providerArn = request.Get("OIDCProviderArn");
        if (string.IsNullOrEmpty(providerArn))
        {
            return ErrorAsync(context, 400, "MissingOIDCProviderArn", PopError.MissingMessage("OIDCProviderArn"));
        }

        if (!OidcProviderArnPattern().IsMatch(providerArn))
        {
            return ErrorAsync(context, 400, "InvalidParameter.OIDCProviderArn", "The parameter OIDCProviderArn is wrongly formed.");
        }

        string? token = request.Get("OIDCToken");
        if (string.IsNullOrEmpty(token))
        {
            return ErrorAsync(context, 400, "MissingOIDCToken", PopError.MissingMessage("OIDCToken"));
        }

        if (token.Length is < 4 or > 20_000)
        {
            return ErrorAsync(context, 400, "InvalidParameter.OIDCToken", "The parameter OIDCToken must be 4 to 20000 characters long.");
        }

        if (!TryReadSessionName(context, request, required: false, out string sessionName, out error)
            || !TryReadDuration(context, request, out int durationSeconds, out error)
            || !TryCheckPolicy(context, request, out error))
        {
            return error!;
        }

        bool accepted;
        try
        {
            accepted = settings.OidcTokenValidator?.Invoke(token) ?? true;
        }
#pragma warning disable CA1031 // A throwing user validator is reported as the service's internal error, never as a crash.
        catch (Exception)
#pragma warning restore CA1031
        {
            return ErrorAsync(context, 500, "InternalError", "The request processing has failed due to some unknown error, exception or failure.");
        }

        if (!accepted)
        {
            return ErrorAsync(context, 400, "AuthenticationFail.OIDCToken.Invalid", "The OIDC token is invalid or has expired.");
        }

        if (string.IsNullOrEmpty(sessionName))
        {
            sessionName = "oidc-" + RandomNumberGenerator.GetHexString(12, lowercase: true);
        }

        return SucceedAsync(context, role, sessionName, durationSeconds, token);
    }

    private Task SucceedAsync(HttpContext context, RoleArnParts role, string sessionName, int durationSeconds, string? oidcToken)
    {
        TimeSpan lifetime = TimeSpan.FromSeconds(durationSeconds);
        if (settings.CredentialLifetime < lifetime)
        {
            lifetime = settings.CredentialLifetime;
        }

        IssuedCredential credential = issued.Issue(lifetime);
        stats.OnCredentialIssued();

        var body = new JsonObject
        {
            ["RequestId"] = Responses.NewRequestId(),
            ["AssumedRoleUser"] = new JsonObject
            {
                ["AssumedRoleId"] = "3" + RandomNumberGenerator.GetString("0123456789", 17) + ":" + sessionName,
                ["Arn"] = $"acs:ram::{role.Account}:assumed-role/{role.Name}/{sessionName}",
            },
            ["Credentials"] = new JsonObject
            {
                ["SecurityToken"] = credential.SecurityToken,
                ["Expiration"] = Responses.FormatTime(credential.Expiration),
                ["AccessKeySecret"] = credential.AccessKeySecret,
                ["AccessKeyId"] = credential.AccessKeyId,
            },
        };

        if (oidcToken is not null)
        {
            body["OIDCTokenInfo"] = OidcTokenInfo(oidcToken);
        }

        return Responses.WriteJsonAsync(context, 200, body);
    }

    private bool TryReadRoleArn(HttpContext context, StsRequest request, out RoleArnParts role, out Task? error)
    {
        role = default;
        error = null;
        string? roleArn = request.Get("RoleArn");
        if (string.IsNullOrEmpty(roleArn))
        {
            error = ErrorAsync(context, 400, "MissingRoleArn", PopError.MissingMessage("RoleArn"));
            return false;
        }

        Match match = RoleArnPattern().Match(roleArn);
        if (!match.Success)
        {
            error = ErrorAsync(context, 400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.");
            return false;
        }

        role = new RoleArnParts(match.Groups["account"].Value, match.Groups["role"].Value);
        return true;
    }

    private bool TryReadSessionName(HttpContext context, StsRequest request, bool required, out string sessionName, out Task? error)
    {
        error = null;
        sessionName = request.Get("RoleSessionName") ?? string.Empty;
        if (sessionName.Length == 0)
        {
            if (required)
            {
                error = ErrorAsync(context, 400, "MissingRoleSessionName", PopError.MissingMessage("RoleSessionName"));
                return false;
            }

            return true;
        }

        if (!SessionNamePattern().IsMatch(sessionName))
        {
            error = ErrorAsync(
                context,
                400,
                "InvalidParameter.RoleSessionName",
                "The parameter RoleSessionName is wrongly formed: 2 to 64 characters from letters, digits, '.', '@', '-' and '_'.");
            return false;
        }

        return true;
    }

    private bool TryReadDuration(HttpContext context, StsRequest request, out int durationSeconds, out Task? error)
    {
        error = null;
        durationSeconds = DefaultDurationSeconds;
        string? raw = request.Get("DurationSeconds");
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out durationSeconds)
            || durationSeconds < MinDurationSeconds
            || durationSeconds > MaxDurationSeconds)
        {
            error = ErrorAsync(
                context,
                400,
                "InvalidParameter.DurationSeconds",
                string.Create(CultureInfo.InvariantCulture, $"The Min/Max value of DurationSeconds is {MinDurationSeconds}/{MaxDurationSeconds} seconds."));
            return false;
        }

        return true;
    }

    private bool TryCheckPolicy(HttpContext context, StsRequest request, out Task? error)
    {
        error = null;
        string? policy = request.Get("Policy");
        if (string.IsNullOrEmpty(policy))
        {
            return true;
        }

        bool valid = policy.Length <= 2048;
        if (valid)
        {
            try
            {
                valid = JsonNode.Parse(policy) is JsonObject;
            }
            catch (JsonException)
            {
                valid = false;
            }
        }

        if (!valid)
        {
            error = ErrorAsync(context, 400, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check.");
        }

        return valid;
    }

    private Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        stats.OnStsError(code);
        return PopError.WriteAsync(context, status, code, message);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>Claims of the OIDC token when it is a readable JWT; neutral values otherwise. The token itself is never echoed.</summary>
    private JsonObject OidcTokenInfo(string token)
    {
        DateTimeOffset now = settings.TimeProvider.GetUtcNow();
        string subject = "emulator-subject";
        string issuer = "https://oidc.emulator.invalid";
        string clientIds = "emulator-client";
        DateTimeOffset issuedAt = now;
        DateTimeOffset expiresAt = now + TimeSpan.FromHours(1);

        string[] parts = token.Split('.');
        if (parts.Length == 3 && TryDecodeJson(parts[1]) is JsonObject claims)
        {
            subject = claims["sub"] is JsonValue sub && sub.TryGetValue(out string? s) ? s : subject;
            issuer = claims["iss"] is JsonValue iss && iss.TryGetValue(out string? i) ? i : issuer;
            clientIds = claims["aud"] switch
            {
                JsonValue one when one.TryGetValue(out string? a) => a,
                JsonArray many => string.Join(',', many.Select(n => n?.ToString() ?? string.Empty)),
                _ => clientIds,
            };
            issuedAt = claims["iat"] is JsonValue iat && iat.TryGetValue(out long iatSeconds) ? DateTimeOffset.FromUnixTimeSeconds(iatSeconds) : issuedAt;
            expiresAt = claims["exp"] is JsonValue exp && exp.TryGetValue(out long expSeconds) ? DateTimeOffset.FromUnixTimeSeconds(expSeconds) : expiresAt;
        }

        return new JsonObject
        {
            ["Subject"] = subject,
            ["Issuer"] = issuer,
            ["ClientIds"] = clientIds,
            ["ExpirationTime"] = Responses.FormatTime(expiresAt),
            ["IssuanceTime"] = Responses.FormatTime(issuedAt),
            ["VerificationInfo"] = "Success",
        };
    }

    private static JsonNode? TryDecodeJson(string base64Url)
    {
        try
        {
            string padded = base64Url.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            return JsonNode.Parse(Convert.FromBase64String(padded));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^acs:ram::(?<account>[0-9*]{1,32}):role/(?<role>[A-Za-z0-9.@_\-]{1,64})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^acs:ram::[0-9*]{1,32}:oidc-provider/[A-Za-z0-9.@_\-]{1,128}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OidcProviderArnPattern();

    [GeneratedRegex(@"^[A-Za-z0-9.@_\-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();

    private readonly record struct RoleArnParts(string Account, string Name);
}

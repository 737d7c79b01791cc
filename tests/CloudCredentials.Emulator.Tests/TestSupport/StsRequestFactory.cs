using System.Globalization;
using CloudCredentials.Alibaba.Sts;
using CloudCredentials.Emulator;

namespace CloudCredentials.Emulator.Tests.TestSupport;

/// <summary>Builds STS requests the way a client does: common parameters and Signature in the query, API parameters in a form body (POST) or the query (GET).</summary>
internal static class StsRequestFactory
{
    public const string RoleArn = "acs:ram::1234567890123456:role/emulatorrole";
    public const string OidcProviderArn = "acs:ram::1234567890123456:oidc-provider/emulator-provider";

    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static List<KeyValuePair<string, string>> CommonParameters(
        DateTimeOffset now,
        string accessKeyId = EmulatorOptions.DefaultAccessKeyId,
        string? securityToken = null,
        string action = "AssumeRole",
        string? nonce = null)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("Version", "2015-04-01"),
            new("Action", action),
            new("Format", "JSON"),
            new("Timestamp", Timestamp(now)),
            new("SignatureMethod", "HMAC-SHA1"),
            new("SignatureVersion", "1.0"),
            new("SignatureNonce", nonce ?? Guid.NewGuid().ToString()),
            new("AccessKeyId", accessKeyId),
        };
        if (securityToken is not null)
        {
            parameters.Add(new("SecurityToken", securityToken));
        }

        return parameters;
    }

    public static List<KeyValuePair<string, string>> AssumeRoleParameters(
        string roleArn = RoleArn,
        string sessionName = "emulator-test",
        int? durationSeconds = 3600,
        string? policy = null)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        if (roleArn.Length > 0)
        {
            parameters.Add(new("RoleArn", roleArn));
        }

        if (sessionName.Length > 0)
        {
            parameters.Add(new("RoleSessionName", sessionName));
        }

        if (durationSeconds is { } d)
        {
            parameters.Add(new("DurationSeconds", d.ToString(CultureInfo.InvariantCulture)));
        }

        if (policy is not null)
        {
            parameters.Add(new("Policy", policy));
        }

        return parameters;
    }

    /// <summary>A request signed with <paramref name="signingMethod"/> (defaults to the method sent).</summary>
    public static HttpRequestMessage Signed(
        HttpMethod method,
        IReadOnlyList<KeyValuePair<string, string>> common,
        IReadOnlyList<KeyValuePair<string, string>> api,
        string secret = EmulatorOptions.DefaultAccessKeySecret,
        string? signingMethod = null,
        string? signatureOverride = null)
    {
        string signature = signatureOverride ?? RpcSigner.Sign(signingMethod ?? method.Method, [.. common, .. api], secret);
        return Build(method, common, api, signature);
    }

    /// <summary>A request with the given parameters as they are (no signature added when <paramref name="signature"/> is null).</summary>
    public static HttpRequestMessage Build(
        HttpMethod method,
        IReadOnlyList<KeyValuePair<string, string>> common,
        IReadOnlyList<KeyValuePair<string, string>> api,
        string? signature)
    {
        var query = new List<KeyValuePair<string, string>>(common);
        if (signature is not null)
        {
            query.Add(new("Signature", signature));
        }

        if (method == HttpMethod.Get)
        {
            query.AddRange(api);
            return new HttpRequestMessage(HttpMethod.Get, "/?" + Encode(query));
        }

        return new HttpRequestMessage(method, "/?" + Encode(query)) { Content = new FormUrlEncodedContent(api) };
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
}

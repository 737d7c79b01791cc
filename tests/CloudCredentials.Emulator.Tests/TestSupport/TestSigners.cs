using System.Globalization;
using CloudCredentials.Emulator.Internal.Signing;

namespace CloudCredentials.Emulator.Tests.TestSupport;

/// <summary>
/// Test-side signing of requests to the emulator with the emulator's own canonicalization (proved against the SIGNING.md
/// vectors in Internal/Signing), so endpoint tests can send valid, and then deliberately broken, signed calls.
/// </summary>
internal static class TestSigners
{
    /// <summary>Adds the V3 headers and <c>Authorization</c> to <paramref name="request"/> (call after setting its content).</summary>
    public static async Task<HttpRequestMessage> SignV3Async(
        HttpRequestMessage request,
        Uri baseAddress,
        DateTimeOffset date,
        string accessKeyId = EmulatorOptions.DefaultAccessKeyId,
        string secret = EmulatorOptions.DefaultAccessKeySecret,
        string? securityToken = null,
        string action = "GetCallerIdentity",
        string version = "2015-04-01",
        string? nonce = null)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        Set(request, "x-acs-action", action);
        Set(request, "x-acs-version", version);
        Set(request, "x-acs-date", date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Set(request, "x-acs-signature-nonce", nonce ?? Guid.NewGuid().ToString("N"));
        Set(request, "x-acs-content-sha256", SigningText.HexSha256(body));
        if (securityToken is not null)
        {
            Set(request, "x-acs-security-token", securityToken);
        }

        CapturedRequest captured = Capture(request, baseAddress, body);
        string canonical = Acs3Signature.CanonicalRequest(captured, captured.BodySha256, out string signedHeaders);
        string signature = Acs3Signature.Sign(Acs3Signature.StringToSign(canonical), secret);
        Set(request, "Authorization", $"ACS3-HMAC-SHA256 Credential={accessKeyId},SignedHeaders={signedHeaders},Signature={signature}");
        return request;
    }

    /// <summary>Adds <c>X-Amz-Date</c> (and the session token) and a SigV4 <c>Authorization</c> for service <paramref name="service"/>.</summary>
    public static async Task<HttpRequestMessage> SignV4Async(
        HttpRequestMessage request,
        Uri baseAddress,
        DateTimeOffset date,
        string accessKeyId = AwsEmulatorOptions.DefaultAccessKeyId,
        string secret = AwsEmulatorOptions.DefaultSecretAccessKey,
        string? sessionToken = null,
        string region = "us-east-1",
        string service = "sts")
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        string amzDate = SigV4Signature.FormatDate(date);
        Set(request, "X-Amz-Date", amzDate);
        if (sessionToken is not null)
        {
            Set(request, "X-Amz-Security-Token", sessionToken);
        }

        CapturedRequest captured = Capture(request, baseAddress, body);
        List<string> signed = ["host", "x-amz-date"];
        if (request.Content?.Headers.ContentType is not null)
        {
            signed.Add("content-type");
        }

        if (sessionToken is not null)
        {
            signed.Add("x-amz-security-token");
        }

        signed.Sort(StringComparer.Ordinal);
        string canonical = SigV4Signature.CanonicalRequest(captured, signed, service, captured.BodySha256);
        string scope = SigV4Signature.Scope(amzDate[..8], region, service);
        string signature = SigV4Signature.Sign(secret, amzDate[..8], region, service, SigV4Signature.StringToSign(amzDate, scope, canonical));
        Set(request, "Authorization", $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
        return request;
    }

    /// <summary>Replaces header <paramref name="name"/> (request or content header) with <paramref name="value"/>.</summary>
    public static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }

    private static CapturedRequest Capture(HttpRequestMessage request, Uri baseAddress, byte[] body)
    {
        var uri = new Uri(baseAddress, request.RequestUri!);
        var headers = new List<KeyValuePair<string, string>> { new("Host", uri.Authority) };
        headers.AddRange(request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))));
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("Content-Type", contentType.ToString()));
        }

        return new CapturedRequest(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, body);
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace CloudCredentials.Internal;

/// <summary>
/// Makes upstream text safe to quote in an exception message or a log: removes the STS "server string to sign" (it
/// contains the request's security token), removes known secret values and secret-looking pairs, hides URI query
/// strings, and shortens long text. Response bodies are never quoted whole: <c>Http/ErrorBody</c> keeps only
/// their code, message and request id, cleaned here.
/// </summary>
internal static partial class SecretRedactor
{
    /// <summary>What replaces a removed secret.</summary>
    public const string Mask = "***";

    private const int DefaultMaxLength = 300;
    private const string StringToSignMarker = "server string to sign is:";

    /// <summary>
    /// Displays an endpoint without its query string or user info (either may carry a token):
    /// <c>https://host:port/path</c>, with <c>?…</c> appended when a query was present.
    /// </summary>
    public static string DisplayUri(Uri? uri)
    {
        if (uri is null)
        {
            return "(no endpoint)";
        }

        if (!uri.IsAbsoluteUri)
        {
            return uri.OriginalString.Split('?')[0];
        }

        string display = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return string.IsNullOrEmpty(uri.Query) ? display : display + "?…";
    }

    /// <summary>Whether a JSON field or form field name denotes a secret (secret, token, password, private key, signature).</summary>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || name.Contains("token", StringComparison.OrdinalIgnoreCase)
            || name.Contains("password", StringComparison.OrdinalIgnoreCase)
            || name.Contains("privatekey", StringComparison.OrdinalIgnoreCase)
            || name.Contains("private_key", StringComparison.OrdinalIgnoreCase)
            || name.Equals("Signature", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Makes an upstream message (such as STS's <c>Message</c>) quotable: the "server string to sign" part is
    /// dropped, known secret values and then secret-looking pairs are masked, and the text is shortened. Known values
    /// go first, so a pattern matching inside a secret (<c>…Token=…</c>) cannot leave the rest of it behind.
    /// </summary>
    public static string RedactMessage(string? message, IEnumerable<string?>? knownSecrets = null, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return string.Empty;
        }

        return Truncate(RedactText(RemoveKnownSecrets(DropStringToSign(message.Trim()), knownSecrets)), maxLength);
    }

    /// <summary>Gets the string to sign STS quotes in a <c>SignatureDoesNotMatch</c> message, or <see langword="null"/>.</summary>
    public static string? ExtractServerStringToSign(string? message)
    {
        if (message is null)
        {
            return null;
        }

        int at = message.IndexOf(StringToSignMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? null : message[(at + StringToSignMarker.Length)..].Trim();
    }

    /// <summary>
    /// The query-string values of <paramref name="uri"/> of four characters or more: a credential endpoint's query may
    /// carry a token, so these are masked wherever an answer is quoted.
    /// </summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The values, unescaped; empty for a relative URI or one without a query.</returns>
    public static string[] QueryValues(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || uri.Query.Length <= 1)
        {
            return [];
        }

        return uri.Query[1..]
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2) is [_, string value] ? Uri.UnescapeDataString(value) : string.Empty)
            .Where(v => v.Length >= 4)
            .ToArray();
    }

    /// <summary>Removes every occurrence of the known secret values, raw and percent-encoded (once and twice).</summary>
    public static string RemoveKnownSecrets(string text, IEnumerable<string?>? knownSecrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (knownSecrets is null)
        {
            return text;
        }

        foreach (string? secret in knownSecrets)
        {
            // Very short values would mask innocent text; real secrets are long.
            if (string.IsNullOrEmpty(secret) || secret.Length < 4)
            {
                continue;
            }

            string once = UrlEncoding.PercentEncode(secret);
            string twice = UrlEncoding.PercentEncode(once);
            text = text.Replace(twice, Mask, StringComparison.Ordinal)
                .Replace(once, Mask, StringComparison.Ordinal)
                .Replace(UrlEncoding.FormEncode(secret), Mask, StringComparison.Ordinal)
                .Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private static string DropStringToSign(string message)
    {
        int at = message.IndexOf(StringToSignMarker, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? message : message[..at].TrimEnd() + " (server string to sign omitted)";
    }

    private static string RedactText(string text) => SecretPair().Replace(text, static m => m.Groups["prefix"].Value + Mask);

    private static string Truncate(string text, int maxLength)
    {
        string single = WhiteSpace().Replace(text, " ");
        return single.Length <= maxLength ? single : new StringBuilder(single, 0, maxLength, maxLength + 1).Append('…').ToString();
    }

    // "AccessKeySecret":"v", AccessKeySecret=v, SecurityToken: v — name containing secret/token/password, then the value.
    [GeneratedRegex("""(?<prefix>["']?[A-Za-z_\-]*(?:secret|token|password|signature)[A-Za-z_\-]*["']?\s*[:=]\s*["']?)(?<value>[^"'&\s,;}<]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}

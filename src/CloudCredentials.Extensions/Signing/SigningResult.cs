namespace CloudCredentials.Signing;

/// <summary>
/// The intermediate values and the result of one signature computation, for tests and for comparing with a server's
/// <c>SignatureDoesNotMatch</c> answer (which names the string to sign it computed).
/// </summary>
/// <remarks>
/// <see cref="CanonicalRequest"/> contains every signed header line, including a security token when one is signed:
/// treat it as secret and never log it. <see cref="ToString"/> prints only the signed header names.
/// </remarks>
public sealed class SigningResult
{
    internal SigningResult(string canonicalRequest, string stringToSign, string signedHeaders, string signature, string authorization)
    {
        CanonicalRequest = canonicalRequest;
        StringToSign = stringToSign;
        SignedHeaders = signedHeaders;
        Signature = signature;
        Authorization = authorization;
    }

    /// <summary>
    /// The result of one computation: every intermediate value when <paramref name="keepText"/> (the low-level API), else
    /// only the <c>Authorization</c> value (signing a request in place copies nothing else out of its buffers).
    /// </summary>
    internal static SigningResult Create(
        bool keepText,
        ReadOnlySpan<char> canonicalRequest,
        ReadOnlySpan<char> stringToSign,
        ReadOnlySpan<char> signedHeaders,
        ReadOnlySpan<char> signature,
        ReadOnlySpan<char> authorization)
        => keepText
            ? new SigningResult(canonicalRequest.ToString(), stringToSign.ToString(), signedHeaders.ToString(), signature.ToString(), authorization.ToString())
            : new SigningResult(string.Empty, string.Empty, string.Empty, string.Empty, authorization.ToString());

    /// <summary>Gets the canonical request (lines joined by <c>\n</c>). May contain a security token: never log it.</summary>
    public string CanonicalRequest { get; }

    /// <summary>Gets the string to sign (algorithm, [timestamp, scope,] hex SHA-256 of the canonical request).</summary>
    public string StringToSign { get; }

    /// <summary>Gets the signed header names, lower case, sorted, joined by <c>;</c>.</summary>
    public string SignedHeaders { get; }

    /// <summary>Gets the signature, lower-case hex.</summary>
    public string Signature { get; }

    /// <summary>Gets the <c>Authorization</c> header value. A credential in use: never log it.</summary>
    public string Authorization { get; }

    /// <summary>Returns the signed header names only; no signature, token or canonical request.</summary>
    /// <returns>For example <c>SigningResult { SignedHeaders = host;x-amz-date }</c>.</returns>
    public override string ToString() => "SigningResult { SignedHeaders = " + SignedHeaders + " }";
}

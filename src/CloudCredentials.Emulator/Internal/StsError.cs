namespace CloudCredentials.Emulator.Internal;

/// <summary>An STS refusal: the HTTP status and the POP error <c>Code</c> and <c>Message</c> to answer with.</summary>
/// <param name="Status">The HTTP status code (400 for almost every refusal).</param>
/// <param name="Code">The POP error code, e.g. <c>SignatureDoesNotMatch</c>.</param>
/// <param name="Message">The POP error message, worded as the real service words it.</param>
internal readonly record struct StsError(int Status, string Code, string Message)
{
    /// <summary>A 400 refusal.</summary>
    public static StsError BadRequest(string code, string message) => new(400, code, message);

    /// <summary>A 400 refusal for a required parameter that is absent, with the gateway's standard wording.</summary>
    public static StsError Missing(string code, string parameter) => new(400, code, PopError.MissingMessage(parameter));
}

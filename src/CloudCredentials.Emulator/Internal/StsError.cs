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

    /// <summary>Sets <paramref name="error"/> to <paramref name="refusal"/> and returns <see langword="false"/> (the authenticators' refusal branches).</summary>
    public static bool Refuse(StsError refusal, out StsError error)
    {
        error = refusal;
        return false;
    }

    /// <summary>
    /// The timestamp rule both Alibaba signature versions share: it must parse (<paramref name="parsed"/>) and, when the
    /// emulator has a skew limit, lie within it of the emulator's clock.
    /// </summary>
    public static bool TryCheckSentAt(EmulatorSettings settings, bool parsed, DateTimeOffset sentAt, out StsError error)
    {
        if (!parsed)
        {
            return Refuse(BadRequest("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."), out error);
        }

        if (settings.MaxTimestampSkew is { } skew && (settings.TimeProvider.GetUtcNow() - sentAt).Duration() > skew)
        {
            return Refuse(BadRequest("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."), out error);
        }

        error = default;
        return true;
    }
}

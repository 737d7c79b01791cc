namespace CloudCredentials.Emulator.Internal;

/// <summary>One STS request as received, kept by <see cref="EmulatorStats"/> for assertions.</summary>
internal sealed record StsRequestRecord(
    string Method,
    string? Action,
    string? ContentType,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form);

using System.Net;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>
/// What an <see cref="ImdsSession"/> GET got: the status and body, or — when the service could not be reached —
/// status 0 and a description of the failure. <see cref="ToString"/> never prints the body, which may hold a credential,
/// nor the IMDSv2 token the GET was sent with.
/// </summary>
/// <param name="Status">The HTTP status, or 0 when no response arrived.</param>
/// <param name="Body">The response body (may be secret), or empty.</param>
/// <param name="Failure">Why no response arrived (secrets redacted), or <see langword="null"/>.</param>
/// <param name="Exception">The transport exception behind <paramref name="Failure"/>, or <see langword="null"/>.</param>
internal sealed record MetadataResponse(HttpStatusCode Status, string Body, string? Failure, Exception? Exception)
{
    /// <summary>Gets how the response was obtained when that matters to an error message, such as <c> (with an IMDSv2 token; …)</c>; empty otherwise.</summary>
    public string Note { get; init; } = string.Empty;

    /// <summary>Gets the media type of the body, if any.</summary>
    public string? MediaType { get; init; }

    /// <summary>Gets the IMDSv2 token the GET was sent with, or <see langword="null"/>; masked wherever the answer is quoted. Secret.</summary>
    public string? SentToken { get; init; }

    /// <summary>Describes the response without its body, which may hold a credential.</summary>
    public override string ToString() => $"MetadataResponse {{ Status = {(int)Status}, Failure = {Failure} }}";
}

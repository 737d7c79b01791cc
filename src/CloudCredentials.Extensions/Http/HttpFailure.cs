using System.Globalization;
using System.Net;
using CloudCredentials.Internal;
using Polly.Timeout;

namespace CloudCredentials.Http;

/// <summary>Builds the <see cref="CredentialUnavailableException"/>s of the HTTP clients, and describes transport failures.</summary>
internal static class HttpFailure
{
    /// <summary>Creates the exception of a failed remote call, with its endpoint, status, upstream code and request id.</summary>
    public static CredentialUnavailableException Create(
        string providerName,
        string reason,
        Uri endpoint,
        HttpStatusCode? statusCode = null,
        string? errorCode = null,
        string? requestId = null,
        Exception? inner = null) =>
        new(providerName, reason, inner)
        {
            Endpoint = SecretRedactor.DisplayUri(endpoint),
            StatusCode = statusCode,
            ErrorCode = errorCode,
            RequestId = requestId,
        };

    /// <summary>Whether <paramref name="exception"/> is a transport failure (connection, TLS, timeout) rather than a bug.</summary>
    public static bool IsTransport(Exception exception) =>
        exception is HttpRequestException or TimeoutException or TimeoutRejectedException or OperationCanceledException;

    /// <summary>Describes a transport failure in a few words, without secrets: "connection refused (127.0.0.1:5000)", "timed out ...".</summary>
    public static string DescribeTransport(Exception exception, IEnumerable<string?>? knownSecrets = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string text = exception switch
        {
            TimeoutException t => t.Message,
            TimeoutRejectedException t => string.Create(CultureInfo.InvariantCulture, $"timed out after {t.Timeout.TotalSeconds:0.###} s"),
            OperationCanceledException => "timed out",
            HttpRequestException h when h.HttpRequestError != HttpRequestError.Unknown =>
                string.Create(CultureInfo.InvariantCulture, $"{h.HttpRequestError}: {h.Message}"),
            _ => exception.Message,
        };
        return SecretRedactor.RemoveKnownSecrets(text, knownSecrets);
    }

    /// <summary>Formats an HTTP status as <c>404 (NotFound)</c>.</summary>
    public static string Status(HttpStatusCode status) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)status} ({status})");
}

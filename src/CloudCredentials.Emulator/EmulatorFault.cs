using System.Globalization;
using CloudCredentials.Emulator.Internal;

namespace CloudCredentials.Emulator;

/// <summary>
/// A failure the emulator plays instead of (or before) its normal answer. Create one with the static factories and pass it
/// to <see cref="CloudEmulator.InjectFault"/>; immutable, so one instance can be queued many times.
/// </summary>
public sealed class EmulatorFault
{
    private EmulatorFault(EmulatorFaultKind kind, int statusCode, string? body, string contentType, TimeSpan delay, string? errorCode, string? errorMessage)
    {
        Kind = kind;
        StatusCode = statusCode;
        Body = body;
        ContentType = contentType;
        DelayTime = delay;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    internal EmulatorFaultKind Kind { get; }

    internal int StatusCode { get; }

    internal string? Body { get; }

    internal string ContentType { get; }

    internal TimeSpan DelayTime { get; }

    internal string? ErrorCode { get; }

    internal string? ErrorMessage { get; }

    /// <summary>Answers with <paramref name="status"/> and <paramref name="body"/> (empty when <see langword="null"/>).</summary>
    /// <param name="status">The HTTP status code, 100–599.</param>
    /// <param name="body">The response body; <see langword="null"/> sends none.</param>
    /// <param name="contentType">The <c>Content-Type</c> of the body.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Status(int status, string? body = null, string contentType = "application/json")
    {
        ValidateStatus(status);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        return new EmulatorFault(EmulatorFaultKind.Status, status, body, contentType, TimeSpan.Zero, null, null);
    }

    /// <summary>
    /// Waits <paramref name="delay"/> in real time (not the emulator's <see cref="EmulatorOptions.TimeProvider"/>), then answers
    /// normally; the wait ends early when the client gives up. Meant for client timeout tests.
    /// </summary>
    /// <param name="delay">How long to wait before answering.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new EmulatorFault(EmulatorFaultKind.Delay, 0, null, "text/plain", delay, null, null);
    }

    /// <summary>Answers <c>200</c> with <paramref name="body"/> as <c>text/html</c>: a response no client can parse.</summary>
    /// <param name="body">The body to send.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault Garbage(string body = "<html>oops</html>")
    {
        ArgumentNullException.ThrowIfNull(body);
        return new EmulatorFault(EmulatorFaultKind.Garbage, 200, body, "text/html", TimeSpan.Zero, null, null);
    }

    /// <summary>
    /// Answers with a POP error JSON <c>{"RequestId","HostId","Code","Message","Recommend"}</c>, as STS does
    /// (e.g. <c>StsError(400, "EntityNotExist.Role", "The role not exists.")</c>).
    /// </summary>
    /// <param name="status">The HTTP status code, 100–599.</param>
    /// <param name="code">The error code.</param>
    /// <param name="message">The error message.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault StsError(int status, string code, string message)
    {
        ValidateStatus(status);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(message);
        return new EmulatorFault(EmulatorFaultKind.StsError, status, null, "application/json", TimeSpan.Zero, code, message);
    }

    /// <summary>
    /// Answers with an AWS Query API error XML <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type/&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>,
    /// as AWS STS does (e.g. <c>AwsError(403, "AccessDenied", "Not authorized to perform sts:AssumeRole")</c>,
    /// <c>AwsError(400, "Throttling", "Rate exceeded")</c>, <c>AwsError(400, "ExpiredTokenException", "Token expired")</c>).
    /// <c>Type</c> is <c>Receiver</c> for a 5xx status, else <c>Sender</c>.
    /// </summary>
    /// <param name="status">The HTTP status code, 100–599.</param>
    /// <param name="code">The error code.</param>
    /// <param name="message">The error message.</param>
    /// <returns>The fault.</returns>
    public static EmulatorFault AwsError(int status, string code, string message)
    {
        ValidateStatus(status);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentNullException.ThrowIfNull(message);
        return new EmulatorFault(EmulatorFaultKind.AwsError, status, null, "text/xml", TimeSpan.Zero, code, message);
    }

    /// <summary>Aborts the connection without sending a response (the client sees a transport error).</summary>
    /// <returns>The fault.</returns>
    public static EmulatorFault Drop() => new(EmulatorFaultKind.Drop, 0, null, "text/plain", TimeSpan.Zero, null, null);

    /// <summary>Describes the fault (kind, status, delay); never the body.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => Kind switch
    {
        EmulatorFaultKind.Status => string.Create(CultureInfo.InvariantCulture, $"Status({StatusCode})"),
        EmulatorFaultKind.Delay => string.Create(CultureInfo.InvariantCulture, $"Delay({DelayTime.TotalMilliseconds} ms)"),
        EmulatorFaultKind.Garbage => "Garbage",
        EmulatorFaultKind.StsError => string.Create(CultureInfo.InvariantCulture, $"StsError({StatusCode}, {ErrorCode})"),
        EmulatorFaultKind.AwsError => string.Create(CultureInfo.InvariantCulture, $"AwsError({StatusCode}, {ErrorCode})"),
        _ => "Drop",
    };

    private static void ValidateStatus(int status)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
    }
}

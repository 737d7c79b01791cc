using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>
/// Reads and validates the AWS STS parameters (AWS_CREDENTIALS.md §6.2): <c>RoleArn</c>, <c>RoleSessionName</c>
/// (<c>[\w+=,.@-]{2,64}</c>), <c>DurationSeconds</c> (900–43200), <c>WebIdentityToken</c>; refusals are <c>ValidationError</c>.
/// </summary>
internal static partial class AwsStsParameters
{
    public const int MinDurationSeconds = 900;
    public const int MaxDurationSeconds = 43_200;

    /// <summary>The role and session of an <c>AssumeRole*</c> call, and the lifetime to grant (<see langword="null"/>: not asked).</summary>
    public static bool TryReadRole(StsRequest request, out AwsRole role, out AwsError error)
    {
        role = default;
        string? roleArn = request.Get("RoleArn");
        Match match = RoleArnPattern().Match(roleArn ?? string.Empty);
        if (!match.Success)
        {
            return Refuse(roleArn is null ? Null("roleArn") : AwsError.Validation(
                $"1 validation error detected: Value '{roleArn}' at 'roleArn' failed to satisfy constraint: Member must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)"), out error);
        }

        string? session = request.Get("RoleSessionName");
        if (session is null || !SessionNamePattern().IsMatch(session))
        {
            return Refuse(session is null ? Null("roleSessionName") : AwsError.Validation(
                $"1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]{{2,64}}"), out error);
        }

        int? duration = null;
        if (request.Get("DurationSeconds") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds < MinDurationSeconds || seconds > MaxDurationSeconds)
            {
                return Refuse(AwsError.Validation(
                    $"1 validation error detected: Value '{text}' at 'durationSeconds' failed to satisfy constraint: Member must have value between {MinDurationSeconds} and {MaxDurationSeconds}"), out error);
            }

            duration = seconds;
        }

        role = new AwsRole(match.Groups["account"].Value, match.Groups["name"].Value, session, duration);
        error = default;
        return true;
    }

    /// <summary>The <c>WebIdentityToken</c>: present, 4+ characters, and the configured one if any.</summary>
    public static bool TryCheckWebIdentityToken(StsRequest request, string? expected, out AwsError error)
    {
        string? token = request.Get("WebIdentityToken");
        if (token is null)
        {
            return Refuse(Null("webIdentityToken"), out error);
        }

        if (token.Length < 4)
        {
            return Refuse(AwsError.Validation(
                "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length greater than or equal to 4"), out error);
        }

        if (expected is not null && !Signing.SigningText.SameSignature(expected, token))
        {
            return Refuse(new AwsError(400, "InvalidIdentityToken", "The web identity token is not valid: it is not the token this emulator was configured to accept."), out error);
        }

        error = default;
        return true;
    }

    private static AwsError Null(string member) =>
        AwsError.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    private static bool Refuse(AwsError refusal, out AwsError error)
    {
        error = refusal;
        return false;
    }

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::(?<account>[0-9]{12}):role/(?:[\w+=,.@-]+/)*(?<name>[\w+=,.@-]{1,64})$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();
}

/// <summary>A valid role request.</summary>
/// <param name="Account">The 12-digit account ID.</param>
/// <param name="Name">The role name (last path segment).</param>
/// <param name="SessionName">The <c>RoleSessionName</c>.</param>
/// <param name="DurationSeconds">The <c>DurationSeconds</c> sent, or <see langword="null"/>.</param>
internal readonly record struct AwsRole(string Account, string Name, string SessionName, int? DurationSeconds);

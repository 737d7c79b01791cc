using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// Reads and validates the API parameters that <c>AssumeRole</c> and <c>AssumeRoleWithOIDC</c> share: <c>RoleArn</c>,
/// then <c>RoleSessionName</c>, <c>DurationSeconds</c> and <c>Policy</c>, each refused with the code STS gives.
/// </summary>
internal static partial class StsParameters
{
    /// <summary>The shortest session STS grants, in seconds.</summary>
    public const int MinDurationSeconds = 900;

    /// <summary>The longest session the emulator grants, in seconds (the real cap is the role's MaxSessionDuration).</summary>
    public const int MaxDurationSeconds = 43_200;

    /// <summary>The session length when <c>DurationSeconds</c> is absent, in seconds.</summary>
    public const int DefaultDurationSeconds = 3600;

    private const int MaxPolicyLength = 2048;

    /// <summary>Reads the required <c>RoleArn</c>: <c>acs:ram::&lt;account&gt;:role/&lt;name&gt;</c>.</summary>
    public static bool TryReadRoleArn(StsRequest request, out RoleArn role, out StsError error)
    {
        role = default;
        error = default;
        string? roleArn = request.Get("RoleArn");
        if (string.IsNullOrEmpty(roleArn))
        {
            error = StsError.Missing("MissingRoleArn", "RoleArn");
            return false;
        }

        Match match = RoleArnPattern().Match(roleArn);
        if (!match.Success)
        {
            error = StsError.BadRequest("InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.");
            return false;
        }

        role = new RoleArn(match.Groups["account"].Value, match.Groups["role"].Value);
        return true;
    }

    /// <summary>
    /// Reads <c>RoleSessionName</c> (required for <c>AssumeRole</c>, optional for OIDC: empty when absent),
    /// <c>DurationSeconds</c> (default <see cref="DefaultDurationSeconds"/>) and checks <c>Policy</c>, in that order.
    /// </summary>
    public static bool TryReadSession(StsRequest request, bool sessionNameRequired, out StsSession session, out StsError error)
    {
        session = default;
        if (!TryReadSessionName(request, sessionNameRequired, out string sessionName, out error)
            || !TryReadDuration(request, out int durationSeconds, out error)
            || !TryCheckPolicy(request, out error))
        {
            return false;
        }

        session = new StsSession(sessionName, durationSeconds);
        return true;
    }

    private static bool TryReadSessionName(StsRequest request, bool required, out string sessionName, out StsError error)
    {
        error = default;
        sessionName = request.Get("RoleSessionName") ?? string.Empty;
        if (sessionName.Length == 0)
        {
            if (required)
            {
                error = StsError.Missing("MissingRoleSessionName", "RoleSessionName");
                return false;
            }

            return true;
        }

        if (!SessionNamePattern().IsMatch(sessionName))
        {
            error = StsError.BadRequest(
                "InvalidParameter.RoleSessionName",
                "The parameter RoleSessionName is wrongly formed: 2 to 64 characters from letters, digits, '.', '@', '-' and '_'.");
            return false;
        }

        return true;
    }

    private static bool TryReadDuration(StsRequest request, out int durationSeconds, out StsError error)
    {
        error = default;
        durationSeconds = DefaultDurationSeconds;
        string? raw = request.Get("DurationSeconds");
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out durationSeconds)
            || durationSeconds < MinDurationSeconds
            || durationSeconds > MaxDurationSeconds)
        {
            error = StsError.BadRequest(
                "InvalidParameter.DurationSeconds",
                string.Create(CultureInfo.InvariantCulture, $"The Min/Max value of DurationSeconds is {MinDurationSeconds}/{MaxDurationSeconds} seconds."));
            return false;
        }

        return true;
    }

    /// <summary>An optional <c>Policy</c> must be a JSON object of at most 2048 characters.</summary>
    private static bool TryCheckPolicy(StsRequest request, out StsError error)
    {
        error = default;
        string? policy = request.Get("Policy");
        if (string.IsNullOrEmpty(policy))
        {
            return true;
        }

        bool valid = policy.Length <= MaxPolicyLength;
        if (valid)
        {
            try
            {
                valid = JsonNode.Parse(policy) is JsonObject;
            }
            catch (JsonException)
            {
                valid = false;
            }
        }

        if (!valid)
        {
            error = StsError.BadRequest("InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check.");
        }

        return valid;
    }

    [GeneratedRegex(@"^acs:ram::(?<account>[0-9*]{1,32}):role/(?<role>[A-Za-z0-9.@_\-]{1,64})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RoleArnPattern();

    [GeneratedRegex(@"^[A-Za-z0-9.@_\-]{2,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionNamePattern();
}

/// <summary>The parts of a valid <c>RoleArn</c>.</summary>
/// <param name="Account">The account ID (digits, or <c>*</c> as in masked examples).</param>
/// <param name="Name">The role name.</param>
internal readonly record struct RoleArn(string Account, string Name);

/// <summary>The session a caller asked for.</summary>
/// <param name="Name">The <c>RoleSessionName</c>; empty when an OIDC caller gave none.</param>
/// <param name="DurationSeconds">The requested lifetime, in seconds.</param>
internal readonly record struct StsSession(string Name, int DurationSeconds);

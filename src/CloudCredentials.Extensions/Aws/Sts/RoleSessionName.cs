using System.Globalization;
using System.Text.RegularExpressions;

namespace CloudCredentials.Aws.Sts;

/// <summary>The <c>RoleSessionName</c> rule of STS: 2 to 64 of <c>[\w+=,.@-]</c>; the default is <c>cloudcredentials-&lt;unix ms&gt;</c>.</summary>
internal static partial class RoleSessionName
{
    /// <summary>Whether <paramref name="name"/> is a valid session name.</summary>
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>What a valid name looks like, for errors.</summary>
    public const string Rule = "use 2 to 64 letters, digits or the characters + = , . @ _ -";

    /// <summary>The configured name, or the default for the current time.</summary>
    public static string OrDefault(string? name, TimeProvider timeProvider)
        => name ?? "cloudcredentials-" + timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    // STS's \w is ASCII (.NET's would also accept letters such as 'é' that STS rejects), and \z, not $, so a
    // trailing newline is not accepted.
    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]{2,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

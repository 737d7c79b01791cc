using System.Security.Cryptography;
using System.Xml.Linq;
using CloudCredentials.Emulator.Internal.Signing;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal.Aws;

/// <summary>
/// AWS STS Query API (<c>Version=2011-06-15</c>) at <c>/</c>: SigV4-signed <c>AssumeRole</c> and <c>GetCallerIdentity</c>,
/// unsigned <c>AssumeRoleWithWebIdentity</c>. Answers and refusals are the Query protocol's XML (AWS_CREDENTIALS.md §6.5).
/// </summary>
internal sealed class AwsStsEndpoint(EmulatorSettings settings, IssuedCredentialStore issued, AwsEmulatorStats stats)
{
    public const string Version = "2011-06-15";

    private readonly AwsSigV4Authenticator _authenticator = new(settings, issued);

    /// <summary>True when a request at <c>/</c> is for AWS STS: <c>Version=2011-06-15</c> or a SigV4 <c>Authorization</c>.</summary>
    public static bool IsAws(StsRequest form, CapturedRequest request) =>
        string.Equals(form.Get("Version"), Version, StringComparison.Ordinal)
        || (request.Header("Authorization") ?? string.Empty).StartsWith(SigV4Signature.Algorithm, StringComparison.Ordinal);

    public Task HandleAsync(HttpContext context, StsRequest form, CapturedRequest request)
    {
        string action = form.Get("Action") ?? string.Empty;
        string version = form.Get("Version") ?? string.Empty;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsPost(request.Method))
        {
            return ErrorAsync(context, new AwsError(405, "InvalidAction", "Only GET and POST are supported."));
        }

        if (form.MalformedBody)
        {
            return ErrorAsync(context, new AwsError(400, "MalformedQueryString", "The request body is not a valid application/x-www-form-urlencoded form."));
        }

        if (version != Version || action is not ("AssumeRole" or "AssumeRoleWithWebIdentity" or "GetCallerIdentity"))
        {
            return ErrorAsync(context, new AwsError(400, "InvalidAction", $"Could not find operation {action} for version {version}"));
        }

        if (action == "AssumeRoleWithWebIdentity")
        {
            return AssumeRoleWithWebIdentityAsync(context, form);
        }

        if (!_authenticator.TryAuthenticate(request, out IssuedCredential? caller, out string accessKeyId, out AwsError error))
        {
            return ErrorAsync(context, error);
        }

        return action == "AssumeRole" ? AssumeRoleAsync(context, form) : GetCallerIdentityAsync(context, caller, accessKeyId);
    }

    private Task AssumeRoleAsync(HttpContext context, StsRequest form) =>
        AwsStsParameters.TryReadRole(form, out AwsRole role, out AwsError error)
            ? CredentialsAsync(context, "AssumeRole", role)
            : ErrorAsync(context, error);

    private Task AssumeRoleWithWebIdentityAsync(HttpContext context, StsRequest form)
    {
        if (!AwsStsParameters.TryReadRole(form, out AwsRole role, out AwsError error)
            || !AwsStsParameters.TryCheckWebIdentityToken(form, settings.Aws.WebIdentityToken, out error))
        {
            return ErrorAsync(context, error);
        }

        return CredentialsAsync(
            context,
            "AssumeRoleWithWebIdentity",
            role,
            AwsXml.E("SubjectFromWebIdentityToken", "system:serviceaccount:emulator:workload"),
            AwsXml.E("Audience", "sts.amazonaws.com"),
            AwsXml.E("Provider", "emulator.oidc.local"));
    }

    private Task CredentialsAsync(HttpContext context, string action, AwsRole role, params XElement[] extra)
    {
        TimeSpan lifetime = role.DurationSeconds is { } seconds
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(Math.Min(3600, settings.CredentialLifetime.TotalSeconds));
        string arn = $"arn:aws:sts::{role.Account}:assumed-role/{role.Name}/{role.SessionName}";
        IssuedCredential credential = issued.Issue(lifetime, arn);
        stats.OnCredentialIssued();
        return AwsXml.WriteResultAsync(
            context,
            action,
            [
                AwsXml.E(
                    "Credentials",
                    AwsXml.E("AccessKeyId", credential.AccessKeyId),
                    AwsXml.E("SecretAccessKey", credential.AccessKeySecret),
                    AwsXml.E("SessionToken", credential.SecurityToken),
                    AwsXml.E("Expiration", Responses.FormatTime(credential.Expiration))),
                AwsXml.E("AssumedRoleUser", AwsXml.E("AssumedRoleId", RoleId(role.Name) + ":" + role.SessionName), AwsXml.E("Arn", arn)),
                .. extra,
            ]);
    }

    private static Task GetCallerIdentityAsync(HttpContext context, IssuedCredential? caller, string accessKeyId)
    {
        string arn, userId, account = AwsEmulatorOptions.AccountId;
        if (caller?.Arn is { } assumed && assumed.Split('/') is [string prefix, string role, string session])
        {
            arn = assumed;
            userId = RoleId(role) + ":" + session;
            account = prefix.Split(':') is { Length: > 4 } parts ? parts[4] : account;
        }
        else
        {
            arn = $"arn:aws:iam::{account}:user/emulator-user";
            userId = "AIDA" + Suffix(accessKeyId);
        }

        return AwsXml.WriteResultAsync(context, "GetCallerIdentity", AwsXml.E("Arn", arn), AwsXml.E("UserId", userId), AwsXml.E("Account", account));
    }

    private Task ErrorAsync(HttpContext context, AwsError error)
    {
        stats.OnStsError(error.Code);
        return AwsXml.WriteErrorAsync(context, error.Status, error.Code, error.Message);
    }

    private static string RoleId(string roleName) => "AROA" + Suffix(roleName);

    /// <summary>A stable 17-character upper-case suffix derived from <paramref name="seed"/>, like the unique IDs IAM prints.</summary>
    private static string Suffix(string seed) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..17];
}

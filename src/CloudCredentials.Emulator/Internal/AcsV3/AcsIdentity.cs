using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudCredentials.Emulator.Internal.AcsV3;

/// <summary>The STS <c>GetCallerIdentity</c> answer for a caller: a RAM user for a permanent key, an assumed role for an STS key.</summary>
internal static class AcsIdentity
{
    /// <summary>The Alibaba Cloud account ID in every ARN the emulator writes.</summary>
    public const string AccountId = "1234567890123456";

    public static JsonObject For(AcsV3Caller caller)
    {
        string userId = "2" + Digits(caller.AccessKeyId, 17);
        var body = new JsonObject { ["RequestId"] = Responses.NewRequestId(), ["AccountId"] = AccountId };
        if (caller.Issued?.Arn is { } arn && arn.Split('/') is [_, string role, string session])
        {
            string roleId = "3" + Digits(role, 17);
            body["IdentityType"] = "AssumedRoleUser";
            body["Arn"] = arn;
            body["RoleId"] = roleId;
            body["PrincipalId"] = roleId + ":" + session;
            body["UserId"] = roleId + ":" + session;
        }
        else
        {
            body["IdentityType"] = "RAMUser";
            body["Arn"] = $"acs:ram::{AccountId}:user/emulator-user";
            body["PrincipalId"] = userId;
            body["UserId"] = userId;
        }

        return body;
    }

    /// <summary>A stable run of decimal digits derived from <paramref name="seed"/>.</summary>
    private static string Digits(string seed, int count)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var digits = new StringBuilder(count);
        for (int i = 0; i < count; i++)
        {
            digits.Append((char)('0' + (hash[i] % 10)));
        }

        return digits.ToString();
    }
}

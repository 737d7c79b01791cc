using System.Reflection;
using CloudCredentials.Alibaba;
using CloudCredentials.Aws;
using CloudCredentials.Diagnostics;

namespace CloudCredentials.DependencyInjection;

/// <summary>
/// The environment variables the library reads: every <c>const string</c> of <see cref="AlibabaEnvironment"/> and
/// <see cref="AwsEnvironment"/> (found by reflection, so a variable added there is listed at once), described here.
/// A variable without a description is listed as such and treated as a secret until described (a test fails).
/// </summary>
internal static class EnvironmentVariableCatalog
{
    /// <summary>The text of a variable that has no description yet.</summary>
    public const string Undescribed = "(not described yet)";

    private static readonly Dictionary<string, (string Description, bool IsSecret)> Descriptions = new(StringComparer.Ordinal)
    {
        [AlibabaEnvironment.AccessKeyId] = ("AccessKey ID read by the default chain's env provider.", false),
        [AlibabaEnvironment.AccessKeySecret] = ("AccessKey secret paired with ALIBABA_CLOUD_ACCESS_KEY_ID.", true),
        [AlibabaEnvironment.SecurityToken] = ("STS security token: with the key pair, an sts credential.", true),
        [AlibabaEnvironment.RoleArn] = ("RAM role for the default chain's OIDC provider (with the OIDC provider ARN and token file).", false),
        [AlibabaEnvironment.RoleSessionName] = ("Role session name for AssumeRole / AssumeRoleWithOIDC when the options set none.", false),
        [AlibabaEnvironment.OidcProviderArn] = ("OIDC identity provider ARN for AssumeRoleWithOIDC (RRSA).", false),
        [AlibabaEnvironment.OidcTokenFile] = ("File holding the OIDC token exchanged for STS credentials (re-read on every refresh).", false),
        [AlibabaEnvironment.StsRegion] = ("Region of the STS endpoint (sts.{region}.aliyuncs.com) when the options set none.", false),
        [AlibabaEnvironment.VpcEndpointEnabled] = ("true: use the STS VPC endpoint (sts-vpc.{region}.aliyuncs.com).", false),
        [AlibabaEnvironment.EcsMetadata] = ("ECS RAM role name to ask the instance metadata service for (else discovered).", false),
        [AlibabaEnvironment.EcsMetadataDisabled] = ("true: the default chain never asks the ECS instance metadata service.", false),
        [AlibabaEnvironment.ImdsV1Disabled] = ("true: ECS metadata must use the IMDSv2 token (no IMDSv1 fallback).", false),
        [AlibabaEnvironment.ImdsV1DisabledLegacy] = ("Older spelling of ALIBABA_CLOUD_IMDSV1_DISABLED.", false),
        [AlibabaEnvironment.CredentialsUri] = ("URL of a credentials service the default chain asks last.", false),
        [AlibabaEnvironment.CredentialsFile] = ("Path of the INI credentials file (default ~/.alibabacloud/credentials).", false),
        [AlibabaEnvironment.Profile] = ("Profile to read from the CLI config.json and the INI file.", false),
        [AlibabaEnvironment.CliProfileDisabled] = ("true: the default chain skips the CLI config.json.", false),
        [AlibabaEnvironment.ConfigFile] = ("Path of the CLI config.json (default ~/.aliyun/config.json).", false),
        [AwsEnvironment.AccessKeyId] = ("AWS access key ID read by the AWS env provider.", false),
        [AwsEnvironment.SecretAccessKey] = ("AWS secret access key paired with AWS_ACCESS_KEY_ID.", true),
        [AwsEnvironment.SessionToken] = ("AWS session token of temporary credentials.", true),
        [AwsEnvironment.Profile] = ("Profile to read from ~/.aws/config and ~/.aws/credentials.", false),
        [AwsEnvironment.DefaultProfile] = ("Older name of AWS_PROFILE (used when AWS_PROFILE is unset).", false),
        [AwsEnvironment.ConfigFile] = ("Path of the shared config file (default ~/.aws/config).", false),
        [AwsEnvironment.SharedCredentialsFile] = ("Path of the shared credentials file (default ~/.aws/credentials).", false),
        [AwsEnvironment.Region] = ("Region for STS calls.", false),
        [AwsEnvironment.DefaultRegion] = ("Region for STS calls when AWS_REGION is unset.", false),
        [AwsEnvironment.RoleArn] = ("Role assumed with a web identity token (with AWS_WEB_IDENTITY_TOKEN_FILE).", false),
        [AwsEnvironment.RoleSessionName] = ("Role session name for AssumeRoleWithWebIdentity.", false),
        [AwsEnvironment.WebIdentityTokenFile] = ("File holding the web identity (OIDC) token for AssumeRoleWithWebIdentity.", false),
        [AwsEnvironment.ContainerRelativeUri] = ("ECS container credentials path (on 169.254.170.2).", false),
        [AwsEnvironment.ContainerFullUri] = ("Full URL of a container credentials endpoint (EKS Pod Identity, local).", false),
        [AwsEnvironment.ContainerAuthorizationToken] = ("Authorization header value for the container credentials endpoint.", true),
        [AwsEnvironment.ContainerAuthorizationTokenFile] = ("File holding the container endpoint's authorization token.", false),
        [AwsEnvironment.Ec2MetadataDisabled] = ("true: never ask the EC2 instance metadata service.", false),
        [AwsEnvironment.Ec2MetadataServiceEndpoint] = ("Base address of the EC2 instance metadata service.", false),
        [AwsEnvironment.Ec2MetadataServiceEndpointMode] = ("IPv4 or IPv6: which default EC2 metadata address to use.", false),
        [AwsEnvironment.Ec2MetadataV1Disabled] = ("true: EC2 metadata must use the IMDSv2 token (no IMDSv1 fallback).", false),
        [AwsEnvironment.MetadataServiceTimeout] = ("Seconds one EC2 metadata attempt may take.", false),
        [AwsEnvironment.MetadataServiceNumAttempts] = ("How many attempts an EC2 metadata call makes.", false),
        [AwsEnvironment.EndpointUrlSts] = ("STS endpoint URL override.", false),
        [AwsEnvironment.EndpointUrl] = ("Endpoint URL override for every AWS service (STS included) unless a service-specific one is set.", false),
    };

    /// <summary>Gets every variable, Alibaba first, each in the order its class declares it.</summary>
    public static IReadOnlyList<EnvironmentVariableInfo> Variables { get; } =
        [.. Read(typeof(AlibabaEnvironment), "alibaba"), .. Read(typeof(AwsEnvironment), "aws")];

    private static IEnumerable<EnvironmentVariableInfo> Read(Type type, string cloud)
        => type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Select(name => Descriptions.TryGetValue(name, out var d)
                ? new EnvironmentVariableInfo(name, cloud, d.Description, d.IsSecret)
                : new EnvironmentVariableInfo(name, cloud, Undescribed, isSecret: true));
}

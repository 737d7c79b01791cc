namespace CloudCredentials.Tests.TestSupport;

/// <summary>AWS STS Query API answers (XML) for loopback fakes.</summary>
internal static class AwsStsResponses
{
    public const string AccessKeyId = "ASIASTSISSUED";
    public const string SecretAccessKey = "StsIssuedSecretValue987";
    public const string SessionToken = "StsIssuedSessionTokenValue654";

    public static string Success(string action, DateTimeOffset expiration) => $"""
        <{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <{action}Result>
            <Credentials>
              <AccessKeyId>{AccessKeyId}</AccessKeyId>
              <SecretAccessKey>{SecretAccessKey}</SecretAccessKey>
              <SessionToken>{SessionToken}</SessionToken>
              <Expiration>{expiration.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}</Expiration>
            </Credentials>
            <AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>
          </{action}Result>
          <ResponseMetadata><RequestId>req-ok-1</RequestId></ResponseMetadata>
        </{action}Response>
        """;

    public static string Error(string code, string message, string type = "Sender") => $"""
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>{type}</Type><Code>{code}</Code><Message>{message}</Message></Error>
          <RequestId>req-err-42</RequestId>
        </ErrorResponse>
        """;
}

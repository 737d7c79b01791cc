using CloudCredentials.Emulator.Internal;

namespace CloudCredentials.Emulator;

/// <summary>
/// Thread-safe counters of what an emulator received, plus the last STS request's parameters, for assertions.
/// Every request is counted when it arrives, before any injected fault is played (metadata counters count only
/// requests with the right method: PUT for the token, GET for the rest).
/// </summary>
public sealed class EmulatorStats
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(StringComparer.Ordinal);

    private long _tokenPuts;
    private long _metadataGets;
    private long _metadataGetsWithToken;
    private long _metadataGetsWithoutToken;
    private long _roleListGets;
    private long _metadataCredentialsGets;
    private long _metadataTokenRejections;
    private long _stsRequests;
    private long _stsAssumeRole;
    private long _stsAssumeRoleWithOidc;
    private long _stsGetCallerIdentity;
    private long _roaEchoRequests;
    private long _stsErrors;
    private long _signatureFailures;
    private long _credentialsUriGets;
    private long _faultsServed;
    private long _credentialsIssued;
    private int _lastTokenTtlSeconds = -1;
    private volatile StsRequestRecord? _lastSts;
    private volatile string? _lastStsErrorCode;

    /// <summary>Gets the number of <c>PUT /latest/api/token</c> requests (IMDSv2 token requests), valid or not.</summary>
    public long TokenPuts => Interlocked.Read(ref _tokenPuts);

    /// <summary>Gets the number of metadata GETs (role list and credentials), with or without a token.</summary>
    public long MetadataGets => Interlocked.Read(ref _metadataGets);

    /// <summary>Gets the number of metadata GETs that carried an <c>X-aliyun-ecs-metadata-token</c> header (IMDSv2).</summary>
    public long MetadataGetsWithToken => Interlocked.Read(ref _metadataGetsWithToken);

    /// <summary>Gets the number of metadata GETs without a token header (IMDSv1).</summary>
    public long MetadataGetsWithoutToken => Interlocked.Read(ref _metadataGetsWithoutToken);

    /// <summary>Gets the number of GETs of the role list (<c>/latest/meta-data/ram/security-credentials/</c>).</summary>
    public long RoleListGets => Interlocked.Read(ref _roleListGets);

    /// <summary>Gets the number of GETs of <c>/latest/meta-data/ram/security-credentials/{role}</c>.</summary>
    public long MetadataCredentialsGets => Interlocked.Read(ref _metadataCredentialsGets);

    /// <summary>Gets the number of metadata GETs refused for their token: 401 (unknown or expired token) or 403 (no token while IMDSv2 is required).</summary>
    public long MetadataTokenRejections => Interlocked.Read(ref _metadataTokenRejections);

    /// <summary>Gets the <c>X-aliyun-ecs-metadata-token-ttl-seconds</c> value of the last token PUT, as sent (if it was an integer).</summary>
    public int? LastTokenTtlSeconds
    {
        get
        {
            int value = Volatile.Read(ref _lastTokenTtlSeconds);
            return value < 0 ? null : value;
        }
    }

    /// <summary>Gets the number of requests to STS (<c>/</c>), whatever their action.</summary>
    public long StsRequests => Interlocked.Read(ref _stsRequests);

    /// <summary>Gets the number of STS requests with <c>Action=AssumeRole</c>.</summary>
    public long StsAssumeRole => Interlocked.Read(ref _stsAssumeRole);

    /// <summary>Gets the number of STS requests with <c>Action=AssumeRoleWithOIDC</c>.</summary>
    public long StsAssumeRoleWithOidc => Interlocked.Read(ref _stsAssumeRoleWithOidc);

    /// <summary>Gets the number of V3-signed STS requests with <c>x-acs-action: GetCallerIdentity</c>.</summary>
    public long StsGetCallerIdentity => Interlocked.Read(ref _stsGetCallerIdentity);

    /// <summary>Gets the number of requests to the ROA echo route (<c>/roa/echo/…</c>).</summary>
    public long RoaEchoRequests => Interlocked.Read(ref _roaEchoRequests);

    /// <summary>Gets the counters of the AWS endpoints (EC2 metadata, container, STS).</summary>
    public AwsEmulatorStats Aws { get; } = new();

    /// <summary>Gets the number of Alibaba error answers produced by the emulator's checks (STS and the ROA echo route; not counting injected faults).</summary>
    public long StsErrors => Interlocked.Read(ref _stsErrors);

    /// <summary>Gets the number of <c>SignatureDoesNotMatch</c> answers.</summary>
    public long SignatureFailures => Interlocked.Read(ref _signatureFailures);

    /// <summary>Gets the number of requests to the credentials URI path.</summary>
    public long CredentialsUriGets => Interlocked.Read(ref _credentialsUriGets);

    /// <summary>Gets the number of requests answered (or dropped, or delayed) by an injected fault.</summary>
    public long FaultsServed => Interlocked.Read(ref _faultsServed);

    /// <summary>Gets the number of Alibaba credentials issued by all three services together (AWS ones: <see cref="AwsEmulatorStats.CredentialsIssued"/>).</summary>
    public long CredentialsIssued => Interlocked.Read(ref _credentialsIssued);

    /// <summary>Gets the HTTP method of the last STS request.</summary>
    public string? LastStsMethod => _lastSts?.Method;

    /// <summary>Gets the <c>Action</c> of the last STS request.</summary>
    public string? LastStsAction => _lastSts?.Action;

    /// <summary>Gets the <c>Content-Type</c> of the last STS request.</summary>
    public string? LastStsContentType => _lastSts?.ContentType;

    /// <summary>Gets the parameters of the last STS request: the union of query and form (the first value wins on a repeated name).</summary>
    public IReadOnlyDictionary<string, string> LastStsParameters => _lastSts?.Parameters ?? Empty;

    /// <summary>Gets the query-string parameters of the last STS request.</summary>
    public IReadOnlyDictionary<string, string> LastStsQueryParameters => _lastSts?.Query ?? Empty;

    /// <summary>Gets the form-body parameters of the last STS request.</summary>
    public IReadOnlyDictionary<string, string> LastStsFormParameters => _lastSts?.Form ?? Empty;

    /// <summary>Gets the error <c>Code</c> of the last STS error answer produced by the emulator's checks.</summary>
    public string? LastStsErrorCode => _lastStsErrorCode;

    /// <summary>Gets the last STS request as one consistent record.</summary>
    internal StsRequestRecord? LastStsRecord => _lastSts;

    /// <summary>Sets every counter (the AWS ones too) back to zero and forgets the last STS request.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _tokenPuts, 0);
        Interlocked.Exchange(ref _metadataGets, 0);
        Interlocked.Exchange(ref _metadataGetsWithToken, 0);
        Interlocked.Exchange(ref _metadataGetsWithoutToken, 0);
        Interlocked.Exchange(ref _roleListGets, 0);
        Interlocked.Exchange(ref _metadataCredentialsGets, 0);
        Interlocked.Exchange(ref _metadataTokenRejections, 0);
        Interlocked.Exchange(ref _stsRequests, 0);
        Interlocked.Exchange(ref _stsAssumeRole, 0);
        Interlocked.Exchange(ref _stsAssumeRoleWithOidc, 0);
        Interlocked.Exchange(ref _stsGetCallerIdentity, 0);
        Interlocked.Exchange(ref _roaEchoRequests, 0);
        Aws.Reset();
        Interlocked.Exchange(ref _stsErrors, 0);
        Interlocked.Exchange(ref _signatureFailures, 0);
        Interlocked.Exchange(ref _credentialsUriGets, 0);
        Interlocked.Exchange(ref _faultsServed, 0);
        Interlocked.Exchange(ref _credentialsIssued, 0);
        Volatile.Write(ref _lastTokenTtlSeconds, -1);
        _lastSts = null;
        _lastStsErrorCode = null;
    }

    internal void OnTokenPut(int? ttlSeconds)
    {
        Interlocked.Increment(ref _tokenPuts);
        if (ttlSeconds is { } ttl && ttl >= 0)
        {
            Volatile.Write(ref _lastTokenTtlSeconds, ttl);
        }
    }

    internal void OnMetadataGet(bool roleList, bool withToken)
    {
        Interlocked.Increment(ref _metadataGets);
        Interlocked.Increment(ref withToken ? ref _metadataGetsWithToken : ref _metadataGetsWithoutToken);
        Interlocked.Increment(ref roleList ? ref _roleListGets : ref _metadataCredentialsGets);
    }

    internal void OnMetadataTokenRejected() => Interlocked.Increment(ref _metadataTokenRejections);

    internal void OnStsRequest(StsRequestRecord record)
    {
        Interlocked.Increment(ref _stsRequests);
        if (string.Equals(record.Action, "AssumeRole", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _stsAssumeRole);
        }
        else if (string.Equals(record.Action, "AssumeRoleWithOIDC", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _stsAssumeRoleWithOidc);
        }
        else if (string.Equals(record.Action, "GetCallerIdentity", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _stsGetCallerIdentity);
        }

        _lastSts = record;
    }

    internal void OnStsError(string code)
    {
        Interlocked.Increment(ref _stsErrors);
        if (string.Equals(code, "SignatureDoesNotMatch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _signatureFailures);
        }

        _lastStsErrorCode = code;
    }

    internal void OnRoaEcho() => Interlocked.Increment(ref _roaEchoRequests);

    internal void OnCredentialsUriGet() => Interlocked.Increment(ref _credentialsUriGets);

    internal void OnFaultServed() => Interlocked.Increment(ref _faultsServed);

    internal void OnCredentialIssued() => Interlocked.Increment(ref _credentialsIssued);
}

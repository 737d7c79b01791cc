namespace CloudCredentials.Emulator;

/// <summary>
/// Thread-safe counters of what the AWS endpoints received (<see cref="EmulatorStats.Aws"/>). Requests are counted when
/// they arrive, before any injected fault is played.
/// </summary>
public sealed class AwsEmulatorStats
{
    private long _imdsTokenPuts;
    private long _imdsRoleListGets;
    private long _imdsCredentialsGets;
    private long _imdsGetsWithoutToken;
    private long _imdsUnauthorized;
    private long _containerGets;
    private long _containerRejections;
    private long _stsRequests;
    private long _stsAssumeRole;
    private long _stsAssumeRoleWithWebIdentity;
    private long _stsGetCallerIdentity;
    private long _stsErrors;
    private long _signatureFailures;
    private long _credentialsIssued;
    private int _lastImdsTokenTtlSeconds = -1;
    private volatile string? _lastStsAction;
    private volatile string? _lastStsErrorCode;

    /// <summary>Gets the number of IMDSv2 token PUTs (<c>PUT /latest/api/token</c> with the AWS TTL header), valid or not.</summary>
    public long ImdsTokenPuts => Interlocked.Read(ref _imdsTokenPuts);

    /// <summary>Gets the <c>X-aws-ec2-metadata-token-ttl-seconds</c> of the last token PUT, as sent (if it was an integer).</summary>
    public int? LastImdsTokenTtlSeconds => Volatile.Read(ref _lastImdsTokenTtlSeconds) is var ttl && ttl >= 0 ? ttl : null;

    /// <summary>Gets the number of GETs of <c>/latest/meta-data/iam/security-credentials/</c>.</summary>
    public long ImdsRoleListGets => Interlocked.Read(ref _imdsRoleListGets);

    /// <summary>Gets the number of GETs of <c>/latest/meta-data/iam/security-credentials/{role}</c>.</summary>
    public long ImdsCredentialsGets => Interlocked.Read(ref _imdsCredentialsGets);

    /// <summary>Gets the number of IMDS GETs without an <c>X-aws-ec2-metadata-token</c> header (IMDSv1).</summary>
    public long ImdsGetsWithoutToken => Interlocked.Read(ref _imdsGetsWithoutToken);

    /// <summary>Gets the number of IMDS GETs answered 401 (unknown or expired token, or no token while IMDSv1 is disabled).</summary>
    public long ImdsUnauthorized => Interlocked.Read(ref _imdsUnauthorized);

    /// <summary>Gets the number of requests to the container credentials path.</summary>
    public long ContainerGets => Interlocked.Read(ref _containerGets);

    /// <summary>Gets the number of container requests refused for their <c>Authorization</c> header (401 or 403).</summary>
    public long ContainerRejections => Interlocked.Read(ref _containerRejections);

    /// <summary>Gets the number of AWS STS requests, whatever their action.</summary>
    public long StsRequests => Interlocked.Read(ref _stsRequests);

    /// <summary>Gets the number of AWS STS requests with <c>Action=AssumeRole</c>.</summary>
    public long StsAssumeRole => Interlocked.Read(ref _stsAssumeRole);

    /// <summary>Gets the number of AWS STS requests with <c>Action=AssumeRoleWithWebIdentity</c>.</summary>
    public long StsAssumeRoleWithWebIdentity => Interlocked.Read(ref _stsAssumeRoleWithWebIdentity);

    /// <summary>Gets the number of AWS STS requests with <c>Action=GetCallerIdentity</c>.</summary>
    public long StsGetCallerIdentity => Interlocked.Read(ref _stsGetCallerIdentity);

    /// <summary>Gets the number of AWS STS error answers produced by the emulator's checks (not counting injected faults).</summary>
    public long StsErrors => Interlocked.Read(ref _stsErrors);

    /// <summary>Gets the number of <c>SignatureDoesNotMatch</c> answers (bad signature or expired date).</summary>
    public long SignatureFailures => Interlocked.Read(ref _signatureFailures);

    /// <summary>Gets the number of AWS credentials issued (IMDS, container and STS together).</summary>
    public long CredentialsIssued => Interlocked.Read(ref _credentialsIssued);

    /// <summary>Gets the <c>Action</c> of the last AWS STS request.</summary>
    public string? LastStsAction => _lastStsAction;

    /// <summary>Gets the error <c>Code</c> of the last AWS STS error produced by the emulator's checks.</summary>
    public string? LastStsErrorCode => _lastStsErrorCode;

    /// <summary>Sets every counter back to zero.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _imdsTokenPuts, 0);
        Interlocked.Exchange(ref _imdsRoleListGets, 0);
        Interlocked.Exchange(ref _imdsCredentialsGets, 0);
        Interlocked.Exchange(ref _imdsGetsWithoutToken, 0);
        Interlocked.Exchange(ref _imdsUnauthorized, 0);
        Interlocked.Exchange(ref _containerGets, 0);
        Interlocked.Exchange(ref _containerRejections, 0);
        Interlocked.Exchange(ref _stsRequests, 0);
        Interlocked.Exchange(ref _stsAssumeRole, 0);
        Interlocked.Exchange(ref _stsAssumeRoleWithWebIdentity, 0);
        Interlocked.Exchange(ref _stsGetCallerIdentity, 0);
        Interlocked.Exchange(ref _stsErrors, 0);
        Interlocked.Exchange(ref _signatureFailures, 0);
        Interlocked.Exchange(ref _credentialsIssued, 0);

        Volatile.Write(ref _lastImdsTokenTtlSeconds, -1);
        _lastStsAction = null;
        _lastStsErrorCode = null;
    }

    internal void OnImdsTokenPut(int? ttlSeconds)
    {
        Interlocked.Increment(ref _imdsTokenPuts);
        if (ttlSeconds is { } ttl && ttl >= 0)
        {
            Volatile.Write(ref _lastImdsTokenTtlSeconds, ttl);
        }
    }

    internal void OnImdsGet(bool roleList, bool withToken)
    {
        Interlocked.Increment(ref roleList ? ref _imdsRoleListGets : ref _imdsCredentialsGets);
        if (!withToken)
        {
            Interlocked.Increment(ref _imdsGetsWithoutToken);
        }
    }

    internal void OnImdsUnauthorized() => Interlocked.Increment(ref _imdsUnauthorized);

    internal void OnContainerGet() => Interlocked.Increment(ref _containerGets);

    internal void OnContainerRejected() => Interlocked.Increment(ref _containerRejections);

    internal void OnStsRequest(string? action)
    {
        Interlocked.Increment(ref _stsRequests);
        switch (action)
        {
            case "AssumeRole":
                Interlocked.Increment(ref _stsAssumeRole);
                break;
            case "AssumeRoleWithWebIdentity":
                Interlocked.Increment(ref _stsAssumeRoleWithWebIdentity);
                break;
            case "GetCallerIdentity":
                Interlocked.Increment(ref _stsGetCallerIdentity);
                break;
        }

        _lastStsAction = action;
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

    internal void OnCredentialIssued() => Interlocked.Increment(ref _credentialsIssued);
}

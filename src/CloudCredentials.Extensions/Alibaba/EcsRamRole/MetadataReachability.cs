using CloudCredentials.Http;
using CloudCredentials.Internal;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.EcsRamRole;

/// <summary>
/// The default chain's memory of whether the ECS metadata service answers at all. Off ECS nothing answers at the
/// metadata address, and the normal client (1 s per attempt, retries, for the token and again for the GET) would make
/// every call of the chain pay seconds. So before the chain's ECS member asks for a credential, one short probe
/// (<see cref="ImdsSession.ProbeAsync"/>, no retries) runs while nothing is known; after a connection failure or timeout
/// the member fails at once, without I/O, until <c>MetadataUnreachableTtl</c> has passed on the injected clock. An
/// answer (any HTTP status) is remembered until a fetch cannot reach the service again (<see cref="Forget"/>).
/// An explicit <c>ecs_ram_role</c> has none of this.
/// </summary>
internal sealed class MetadataReachability
{
    private const string ProviderName = CredentialProviderNames.EcsRamRole;
    private const string Advice = "Is this an ECS instance with a RAM role? Outside ECS, set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true to skip it.";

    private readonly Func<ImdsSession> _probeSession;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _unreachableTtl;
    private readonly ILogger _logger;
    private State? _state;

    /// <summary>Creates the memory of one chain member.</summary>
    /// <param name="probeSession">Creates a session over the short probe client (<see cref="CloudCredentialsHttpClients.MetadataProbe"/>).</param>
    /// <param name="timeProvider">The clock the TTL runs on.</param>
    /// <param name="unreachableTtl">How long "unreachable" is remembered (<c>MetadataUnreachableTtl</c>).</param>
    /// <param name="logger">The logger.</param>
    public MetadataReachability(Func<ImdsSession> probeSession, TimeProvider timeProvider, TimeSpan unreachableTtl, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(probeSession);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _probeSession = probeSession;
        _timeProvider = timeProvider;
        _unreachableTtl = unreachableTtl;
        _logger = logger;
    }

    /// <summary>
    /// Returns when the metadata service is known to answer, or answers one short probe now; otherwise throws at once
    /// while "unreachable" is remembered, or after the probe failed.
    /// </summary>
    /// <param name="baseAddress">The metadata service.</param>
    /// <param name="disableV1">Whether the IMDSv1 fallback is disabled.</param>
    /// <param name="cancellationToken">Cancels the probe.</param>
    /// <exception cref="CredentialUnavailableException">The service did not answer the probe, now or within the TTL.</exception>
    public async Task EnsureReachableAsync(Uri baseAddress, bool disableV1, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var url = new Uri(baseAddress, ImdsSession.TokenPath);
        State? state = Volatile.Read(ref _state);
        if (state is { Reachable: true })
        {
            return;
        }

        if (state is { Reachable: false } known && _timeProvider.GetUtcNow() < known.Until)
        {
            throw HttpFailure.Create(
                ProviderName,
                $"the metadata service at {SecretRedactor.DisplayUri(baseAddress)} did not answer a probe at {CredentialJson.FormatUtc(known.At)} ({known.Failure}); it is not asked again before {CredentialJson.FormatUtc(known.Until)} (MetadataUnreachableTtl). {Advice}",
                url);
        }

        MetadataResponse? failure = await _probeSession().ProbeAsync(baseAddress, disableV1, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            Volatile.Write(ref _state, State.Answered);
            return;
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        DateTimeOffset until = now + _unreachableTtl;
        string reason = failure.Failure ?? "no answer";
        Volatile.Write(ref _state, new State(false, now, until, reason));
        Log.MetadataUnreachable(_logger, SecretRedactor.DisplayUri(baseAddress), reason, CredentialJson.FormatUtc(until));
        throw HttpFailure.Create(
            ProviderName,
            $"could not reach the metadata service with a short probe (PUT {url}): {reason}; it is not asked again before {CredentialJson.FormatUtc(until)} (MetadataUnreachableTtl). {Advice}",
            url,
            inner: failure.Exception);
    }

    /// <summary>Forgets that the service answered, after a fetch could not reach it: the next fetch probes again.</summary>
    public void Forget() => Interlocked.CompareExchange(ref _state, null, State.Answered);

    /// <summary>What is known: the service answered, or did not answer the probe at <paramref name="At"/>.</summary>
    private sealed record State(bool Reachable, DateTimeOffset At, DateTimeOffset Until, string Failure)
    {
        public static readonly State Answered = new(true, default, default, string.Empty);
    }
}

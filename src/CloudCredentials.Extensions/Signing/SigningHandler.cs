using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudCredentials.Signing;

/// <summary>
/// The per-attempt work both signing handlers share (SIGNING.md §3.1): ask the credential source (never cached here),
/// buffer the body so a retry can send it again and hash it, take the time, sign last, send. Add the handler after
/// (inside) any resilience handler so every attempt is signed afresh.
/// </summary>
public abstract class SigningHandler : DelegatingHandler
{
    private readonly ICredentialSource _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="credentials">The credential source asked on every attempt.</param>
    /// <param name="timeProvider">The clock for the signing date, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    private protected SigningHandler(ICredentialSource credentials, TimeProvider? timeProvider, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the algorithm name, for the log.</summary>
    private protected abstract string Algorithm { get; }

    /// <summary>Gets a value indicating whether the body hash is needed (false for an unsigned payload).</summary>
    private protected virtual bool HashesBody => true;

    /// <summary>Signs the request in place with the payload hash, credential and time of this attempt.</summary>
    private protected abstract void Sign(HttpRequestMessage request, string payloadHash, CloudCredential credential, DateTimeOffset time);

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Uri uri = RequestParts.Uri(request);
        CloudCredential credential;
        try
        {
            credential = await _credentials.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException e)
        {
            Log.CredentialUnavailable(_logger, request.Method.Method, uri.Authority, uri.AbsolutePath, e.Message);
            throw;
        }

        string payloadHash = HashesBody ? await HashBodyAsync(request.Content, cancellationToken).ConfigureAwait(false) : string.Empty;
        DateTimeOffset time = _timeProvider.GetUtcNow();
        Sign(request, payloadHash, credential, time);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.RequestSigned(_logger, request.Method.Method, uri.Authority, uri.AbsolutePath, Algorithm,
                CloudCredential.MaskAccessKeyId(credential.AccessKeyId), AcsV3Signer.FormatTimestamp(time));
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Buffers the content (so every attempt can send it again) and hashes its exact bytes without copying them.</summary>
    private static async ValueTask<string> HashBodyAsync(HttpContent? content, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return SigningText.EmptyPayloadHash;
        }

        await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        using var hash = new HashingStream();
        await content.CopyToAsync(hash, cancellationToken).ConfigureAwait(false);
        return hash.GetHexHash();
    }

    /// <summary>A write-only stream that feeds SHA-256.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public string GetHexHash()
        {
            Span<byte> digest = stackalloc byte[32];
            _hash.GetHashAndReset(digest);
            return Convert.ToHexStringLower(digest);
        }

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _hash.AppendData(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _hash.AppendData(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _hash.AppendData(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

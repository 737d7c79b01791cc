using System.Collections.Concurrent;
using System.Diagnostics;
using CloudCredentials.Caching;
using CloudCredentials.Diagnostics;
using CloudCredentials.Tests.Caching;
using Microsoft.Extensions.Time.Testing;
using static CloudCredentials.Tests.Caching.CacheTestHelpers;

namespace CloudCredentials.Tests.Diagnostics;

public sealed class CloudCredentialsTelemetryTests
{
    [Fact]
    public async Task Fetch_SuccessAndFailure_OneSpanEachTaggedWithProviderAndNoSecrets()
    {
        string registration = "trace-" + Guid.NewGuid().ToString("N");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "CloudCredentials",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem(CloudCredentialsTelemetry.RegistrationTag) == registration)
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var time = new FakeTimeProvider();
        var provider = new FakeCredentialProvider(time, "default/env");
        await using CredentialCache cache = CreateCache(provider, time, registrationName: registration);

        await cache.GetCredentialAsync();
        provider.Failure = () => new CredentialUnavailableException("default/env", "gone", null);
        await FluentActions.Awaiting(() => cache.RefreshAsync(CancellationToken.None)).Should().ThrowAsync<CredentialUnavailableException>();

        stopped.Should().HaveCount(2).And.OnlyContain(a => a.OperationName == "CloudCredentials.Fetch"
            && (string?)a.GetTagItem("cloudcredentials.provider") == "default/env");
        Activity[] spans = [.. stopped];
        spans[0].Status.Should().Be(ActivityStatusCode.Unset);
        spans[0].GetTagItem("cloudcredentials.credential.type").Should().Be("sts");
        spans[1].Status.Should().Be(ActivityStatusCode.Error);
        string allTags = string.Join(";", spans.SelectMany(a => a.TagObjects).Select(t => $"{t.Key}={t.Value}"));
        allTags.Should().NotContain(FakeCredentialProvider.SecretOf(1)).And.NotContain(FakeCredentialProvider.TokenOf(1))
            .And.NotContain(FakeCredentialProvider.KeyIdOf(1));
    }
}

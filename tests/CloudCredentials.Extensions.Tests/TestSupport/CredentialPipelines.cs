using CloudCredentials.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly;

namespace CloudCredentials.Tests.TestSupport;

/// <summary>The library's resilience pipeline in the package's <see cref="ResilienceHandler"/>, outside an HttpClientFactory.</summary>
internal static class CredentialPipelines
{
    /// <summary>Builds the pipeline for <paramref name="settings"/> on <paramref name="time"/>, logging to <paramref name="logs"/> when given.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(HttpClientSettings settings, TimeProvider time, FakeLogCollector? logs = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        if (logs is not null)
        {
            services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Trace));
        }

        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        CredentialResiliencePipeline.Configure(builder, settings, services.BuildServiceProvider());
        return builder.Build();
    }

    /// <summary>A handler running the pipeline over <paramref name="inner"/>.</summary>
    public static ResilienceHandler Handler(HttpClientSettings settings, TimeProvider time, HttpMessageHandler inner, FakeLogCollector? logs = null)
        => new(Build(settings, time, logs)) { InnerHandler = inner };
}

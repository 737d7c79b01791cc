using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CloudCredentials.Samples.AwsFieldReports;

/// <summary>The app of each report: a host built as any app builds one, on the report's fake clock.</summary>
internal static partial class SampleHost
{
    /// <summary>The signed STS client each app registers (<c>AddAwsSigV4Signing("sts", "us-east-1")</c>).</summary>
    public const string StsClient = "sts";

    /// <summary>
    /// Builds a host: <c>AddCloudCredentials</c> bound to <paramref name="settings"/> (keys under <c>CloudCredentials:</c>),
    /// the clock, and a SigV4-signed <see cref="StsClient"/> pointing at <paramref name="sts"/>.
    /// </summary>
    public static IHost Build(FakeClock clock, Uri sts, IDictionary<string, string?> settings)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(clock.Time);
        builder.Services.AddCloudCredentials(builder.Configuration);

        // The signer asks ICredentialSource on every request: no client holds a credential.
        builder.Services.AddHttpClient(StsClient, c => c.BaseAddress = sts).AddAwsSigV4Signing("sts", "us-east-1");
        clock.Attach(builder.Services);
        return builder.Build();
    }

    /// <summary>Sends STS <c>GetCallerIdentity</c> (a Query API POST) with <paramref name="client"/>.</summary>
    public static async Task<StsAnswer> GetCallerIdentityAsync(HttpClient client, Func<HttpRequestMessage, HttpRequestMessage>? sign = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(client.BaseAddress!, "/"))
        {
            Content = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]),
        };
        using HttpRequestMessage signed = sign is null ? request : sign(request);
        using HttpResponseMessage response = await client.SendAsync(signed);
        string body = await response.Content.ReadAsStringAsync();
        return new StsAnswer((int)response.StatusCode, Element(ArnPattern(), body), Element(CodePattern(), body));
    }

    /// <summary>The first line of a start-up failure, the part a developer reads first.</summary>
    public static string FirstLine(Exception ex) => ex.Message.Split('\n')[0].Trim();

    private static string? Element(Regex pattern, string body) => pattern.Match(body) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("<Arn>([^<]*)</Arn>")]
    private static partial Regex ArnPattern();

    [GeneratedRegex("<Code>([^<]*)</Code>")]
    private static partial Regex CodePattern();
}

/// <summary>What STS answered: the HTTP status, the caller's ARN on success, the error code on failure.</summary>
internal readonly record struct StsAnswer(int Status, string? Arn, string? ErrorCode);

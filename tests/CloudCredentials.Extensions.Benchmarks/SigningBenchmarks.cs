using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using CloudCredentials.Signing;

namespace CloudCredentials.Benchmarks;

/// <summary>
/// Signing one request in place (SIGNING.md §2, §1): a small GET and a 1 KB form POST with a session credential, per
/// algorithm; for SigV4 the AWS SDK's own <see cref="AWS4Signer"/> (AWSSDK.Core 4.x) signs the same request side by
/// side. Target: faster than the AWS signer, with at most half its bytes allocated. Each benchmark re-signs the same
/// message (as a retry would), so header replacement is part of the cost on both sides.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SigningBenchmarks
{
    private const string KeyId = "ASIAEXAMPLEKEYID0001";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP==";

    private static readonly CloudCredential Credential = new(CredentialTypes.Sts, "benchmark") { AccessKeyId = KeyId, AccessKeySecret = Secret, SecurityToken = Token };
    private static readonly DateTimeOffset Time = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly byte[] _body = CreateBody(1024);
    private readonly SigV4Signer _sigV4 = new("sts", "us-east-1");
    private readonly AWS4Signer _awsSigner = new();
    private readonly SessionAWSCredentials _awsCredentials = new(KeyId, Secret, Token);
    private readonly BenchmarkClientConfig _awsConfig = new();
    private HttpRequestMessage _get = null!;
    private HttpRequestMessage _post = null!;
    private HttpRequestMessage _acsGet = null!;
    private HttpRequestMessage _acsPost = null!;
    private DefaultRequest _awsGet = null!;
    private DefaultRequest _awsPost = null!;

    [GlobalSetup]
    public void Setup()
    {
        _get = new HttpRequestMessage(HttpMethod.Get, "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15");
        _post = Post("https://sts.us-east-1.amazonaws.com/");
        _acsGet = new HttpRequestMessage(HttpMethod.Get, "https://sts.aliyuncs.com/?RegionId=cn-hangzhou").SetAcsAction("GetCallerIdentity", "2015-04-01");
        _acsPost = Post("https://sts.aliyuncs.com/").SetAcsAction("AssumeRole", "2015-04-01");
        _awsGet = AwsRequest("GET", null);
        _awsGet.Parameters["Action"] = "GetCallerIdentity";
        _awsGet.Parameters["Version"] = "2011-06-15";
        _awsGet.UseQueryString = true;
        _awsPost = AwsRequest("POST", _body);
    }

    [BenchmarkCategory("SigV4 GET"), Benchmark(Baseline = true, Description = "AWS SDK AWS4Signer")]
    public void AwsSdkGet() => _awsSigner.Sign(_awsGet, _awsConfig, null, _awsCredentials);

    [BenchmarkCategory("SigV4 GET"), Benchmark(Description = "SigV4Signer")]
    public void SigV4Get() => _sigV4.Sign(_get, [], Credential, Time);

    [BenchmarkCategory("SigV4 POST 1 KB"), Benchmark(Baseline = true, Description = "AWS SDK AWS4Signer")]
    public void AwsSdkPost() => _awsSigner.Sign(_awsPost, _awsConfig, null, _awsCredentials);

    [BenchmarkCategory("SigV4 POST 1 KB"), Benchmark(Description = "SigV4Signer")]
    public void SigV4Post() => _sigV4.Sign(_post, _body, Credential, Time);

    [BenchmarkCategory("ACS3 GET"), Benchmark(Description = "AcsV3Signer")]
    public void AcsGet() => AcsV3Signer.Sign(_acsGet, [], Credential, Time);

    [BenchmarkCategory("ACS3 POST 1 KB"), Benchmark(Description = "AcsV3Signer")]
    public void AcsPost() => AcsV3Signer.Sign(_acsPost, _body, Credential, Time);

    private HttpRequestMessage Post(string uri)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        return request;
    }

    private static DefaultRequest AwsRequest(string method, byte[]? body)
    {
        var request = new DefaultRequest(new BenchmarkRequest(), "sts")
        {
            HttpMethod = method,
            Endpoint = new Uri("https://sts.us-east-1.amazonaws.com"),
            ResourcePath = "/",
            AuthenticationRegion = "us-east-1",
        };
        if (body is not null)
        {
            request.Content = body;
            request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
        }

        return request;
    }

    /// <summary>A form body of <paramref name="length"/> bytes (<c>Action=AssumeRole&amp;Policy=aaaa…</c>).</summary>
    private static byte[] CreateBody(int length)
    {
        byte[] body = new byte[length];
        "Action=AssumeRole&Version=2011-06-15&Policy="u8.CopyTo(body);
        body.AsSpan(44).Fill((byte)'a');
        return body;
    }

    private sealed class BenchmarkRequest : AmazonWebServiceRequest;

    private sealed class BenchmarkClientConfig : ClientConfig
    {
        public BenchmarkClientConfig()
            : base(new DefaultConfigurationProvider([new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard }]))
        {
            AuthenticationRegion = "us-east-1";
            AuthenticationServiceName = "sts";
        }

        public override string RegionEndpointServiceName => "sts";

        public override string ServiceVersion => "2011-06-15";

        public override string UserAgent => "benchmark";

        public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters)
            => new("https://sts.us-east-1.amazonaws.com");
    }
}

using System.Net;
using System.Xml.Linq;

namespace CloudCredentials.Emulator.Tests.TestSupport;

/// <summary>Builds, signs and checks AWS STS Query API calls to the emulator.</summary>
internal static class AwsStsCalls
{
    public const string RoleArn = "arn:aws:iam::123456789012:role/EmulatorRole";
    public static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static List<KeyValuePair<string, string>> AssumeRole(string roleArn = RoleArn, string session = "demo", string? durationSeconds = null)
    {
        List<KeyValuePair<string, string>> form = [new("Action", "AssumeRole"), new("Version", "2011-06-15")];
        if (roleArn.Length > 0)
        {
            form.Add(new("RoleArn", roleArn));
        }

        form.Add(new("RoleSessionName", session));
        if (durationSeconds is not null)
        {
            form.Add(new("DurationSeconds", durationSeconds));
        }

        return form;
    }

    public static async Task<HttpRequestMessage> SignedAsync(
        EmulatorTestContext ctx,
        IEnumerable<KeyValuePair<string, string>> form,
        string accessKeyId = AwsEmulatorOptions.DefaultAccessKeyId,
        string secret = AwsEmulatorOptions.DefaultSecretAccessKey,
        string? sessionToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(form) };
        return await TestSigners.SignV4Async(request, ctx.Emulator.BaseAddress, ctx.Time.GetUtcNow(), accessKeyId, secret, sessionToken);
    }

    public static async Task<XElement> ExpectResultAsync(EmulatorTestContext ctx, HttpRequestMessage request, string action)
    {
        using (request)
        {
            using HttpResponseMessage response = await ctx.Client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(HttpStatusCode.OK, body);
            XElement root = XElement.Parse(body);
            root.Name.Should().Be(Ns + (action + "Response"));
            root.Element(Ns + "ResponseMetadata")!.Element(Ns + "RequestId")!.Value.Should().NotBeEmpty();
            return root.Element(Ns + (action + "Result"))!;
        }
    }

    /// <summary>Sends, checks the status and the ErrorResponse XML's Code, and returns the raw body.</summary>
    public static async Task<string> ExpectErrorAsync(EmulatorTestContext ctx, HttpRequestMessage request, HttpStatusCode status, string code)
    {
        using (request)
        {
            using HttpResponseMessage response = await ctx.Client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            response.StatusCode.Should().Be(status, body);
            XElement error = XElement.Parse(body).Element(Ns + "Error")!;
            error.Element(Ns + "Code")!.Value.Should().Be(code);
            error.Element(Ns + "Type")!.Value.Should().Be((int)status >= 500 ? "Receiver" : "Sender");
            return body;
        }
    }

    public static string Value(XElement parent, string name) => parent.Element(Ns + name)!.Value;
}

using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;

namespace CloudCredentials.Http;

/// <summary>The User-Agent of the library's requests: <c>CloudCredentials.Extensions/&lt;version&gt; (.NET &lt;version&gt;; &lt;os&gt;)</c>.</summary>
internal static class UserAgent
{
    /// <summary>Gets the header value.</summary>
    public static string Value { get; } = Build();

    /// <summary>Sets the User-Agent header on a request.</summary>
    public static void Apply(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("User-Agent", Value);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    private static string Build()
    {
        string version = typeof(UserAgent).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? "0.0.0";
        return $"CloudCredentials.Extensions/{version} ({RuntimeInformation.FrameworkDescription}; {RuntimeInformation.OSDescription})";
    }
}

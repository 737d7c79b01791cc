namespace CloudCredentials.Samples.WebApi;

/// <summary>
/// An ASP.NET Core minimal API that uses CloudCredentials: <c>GET /whoami</c> describes the credential the app would
/// sign its cloud calls with (never a secret), <c>GET /healthz</c> reports the credential's health. With no
/// <c>CloudCredentials</c> settings it runs against an in-process cloud emulator, so it works out of the box:
/// <c>dotnet run --project samples/WebApi</c>, then <c>curl http://127.0.0.1:5088/whoami</c>.
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        await using WebApplication app = await WebApiApp.BuildAsync(args);
        await app.RunAsync();
    }
}

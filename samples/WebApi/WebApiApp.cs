using System.Diagnostics;
using CloudCredentials.Emulator;

namespace CloudCredentials.Samples.WebApi;

/// <summary>Builds the sample app: CloudCredentials, its health check, and the endpoints.</summary>
internal static class WebApiApp
{
    /// <summary>The role the app assumes from the emulator's STS. Any well-formed ARN works there.</summary>
    private const string EmulatorRoleArn = "acs:ram::1234567890123456:role/webapi-sample";

    /// <summary>The log category of <c>GET /whoami</c>, where the reason for a 503 goes.</summary>
    private const string WhoAmILogCategory = "CloudCredentials.Samples.WebApi.WhoAmI";

    /// <summary>
    /// Builds the app from <paramref name="args"/> and appsettings.json. Starts the in-process cloud emulator first
    /// when <c>Emulator:Enabled</c> is true (the default) and no <c>CloudCredentials</c> section is configured.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        CloudEmulator? emulator = await StartEmulatorIfWantedAsync(builder.Configuration);
        try
        {
            if (emulator is not null)
            {
                // The emulator's address is known only now: layer the settings that point at it over the app's own.
                builder.Configuration.AddInMemoryCollection(EmulatorSettings(emulator));

                // Registered before AddCloudCredentials: hosted services stop in reverse order, so the emulator
                // outlives the credential refresh service.
                builder.Services.AddHostedService(_ => new EmulatorLifetime(emulator));
            }

            // The one line an app needs: binds the "CloudCredentials" section (or uses the default chain without
            // one) and registers ICredentialSource, with background refresh.
            builder.Services.AddCloudCredentials(builder.Configuration);
            builder.Services.AddHealthChecks().AddCloudCredentialsCheck();
            builder.Services.AddProblemDetails();

            // A signed HttpClient for a real cloud call (GET /caller-identity): the signer asks ICredentialSource on
            // every attempt, inside the retries.
            builder.Services.AddSignedStsClient(builder.Configuration);

            WebApplication app = builder.Build();
            LogMode(app, emulator);
            MapEndpoints(app);
            return app;
        }
        catch
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            throw;
        }
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/", () => Results.Text("CloudCredentials WebApi sample: GET /whoami, GET /caller-identity, GET /healthz\n"));
        app.MapGet("/whoami", WhoAmIAsync);
        app.MapGet("/caller-identity", CallerIdentityEndpoint.HandleAsync);

        // Healthy; Degraded while a still-valid credential is served after failed refreshes; Unhealthy (503) without one.
        app.MapHealthChecks("/healthz");
    }

    private static async Task<IResult> WhoAmIAsync(
        ICredentialSource credentials, TimeProvider time, ILoggerFactory loggerFactory, HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            // Ask on every request and never keep the credential: the cache answers from memory and refreshes it in
            // the background before it expires.
            CloudCredential credential = await credentials.GetCredentialAsync(cancellationToken);
            return TypedResults.Ok(WhoAmIResponse.From(credential, time.GetUtcNow()));
        }
        catch (CredentialUnavailableException ex)
        {
            return NoCredential(ex, "GET /whoami", loggerFactory, context);
        }
    }

    /// <summary>The 503 answer when no credential is available; the reason goes to the log only.</summary>
    internal static IResult NoCredential(CredentialUnavailableException ex, string route, ILoggerFactory loggerFactory, HttpContext context)
    {
        // The reason never holds a secret, but it names this host's files, endpoints and settings (config.json
        // paths, the STS address): it is for the operator, so it goes to the log. The caller only learns that no
        // credential is available, and the trace id that finds the reason in the log.
        string traceId = Activity.Current?.Id ?? context.TraceIdentifier;
        loggerFactory.CreateLogger(WhoAmILogCategory).LogWarning("{Route} answered 503 (trace id {TraceId}): {Reason}", route, traceId, ex.Message);
        return TypedResults.Problem(
            title: "No cloud credential is available.",
            detail: "The app could not get a cloud credential; its log has the reason under this trace id.",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["traceId"] = traceId });
    }

    private static async Task<CloudEmulator?> StartEmulatorIfWantedAsync(IConfiguration configuration)
    {
        bool enabled = configuration.GetValue("Emulator:Enabled", defaultValue: true);
        bool configured = configuration.GetSection(CloudCredentialsOptions.SectionName).GetChildren().Any();
        if (!enabled || configured)
        {
            return null;
        }

        var options = new EmulatorOptions();
        if (configuration.GetValue<TimeSpan?>("Emulator:CredentialLifetime") is { } lifetime)
        {
            options.CredentialLifetime = lifetime;
        }

        return await CloudEmulator.StartAsync(options);
    }

    private static Dictionary<string, string?> EmulatorSettings(CloudEmulator emulator) => new()
    {
        // AssumeRole at the emulator's STS, signed with its fake demo key pair.
        ["CloudCredentials:Type"] = "ram_role_arn",
        ["CloudCredentials:RoleArn"] = EmulatorRoleArn,
        ["CloudCredentials:RoleSessionName"] = "webapi-sample",
        ["CloudCredentials:StsEndpoint"] = emulator.BaseAddress.ToString(),
        ["CloudCredentials:AccessKeyId"] = EmulatorOptions.DefaultAccessKeyId,
        ["CloudCredentials:AccessKeySecret"] = EmulatorOptions.DefaultAccessKeySecret,
        ["CloudCredentials:Refresh:WarmUpOnStart"] = "true",

        // GET /caller-identity calls the emulator's STS GetCallerIdentity, which verifies the V3 signature.
        [CallerIdentityEndpoint.EndpointSetting] = emulator.BaseAddress.ToString(),
    };

    private static void LogMode(WebApplication app, CloudEmulator? emulator)
    {
        if (emulator is not null)
        {
            app.Logger.LogInformation(
                "CloudCredentials runs against the in-process cloud emulator at {EmulatorAddress} (Emulator:Enabled is true and no CloudCredentials section is configured). Set Emulator:Enabled=false or configure CloudCredentials to use real credentials.",
                emulator.BaseAddress);
        }
        else if (app.Configuration.GetValue("Emulator:Enabled", defaultValue: true))
        {
            app.Logger.LogInformation("A CloudCredentials section is configured, so the cloud emulator is not started.");
        }
        else
        {
            app.Logger.LogInformation("Emulator:Enabled is false: CloudCredentials uses the CloudCredentials section, or the default credential chain without one.");
        }
    }
}

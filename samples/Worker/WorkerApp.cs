namespace CloudCredentials.Samples.Worker;

/// <summary>Builds the worker host: CloudCredentials from configuration and the environment, and the worker.</summary>
internal static class WorkerApp
{
    /// <summary>Builds the host from <paramref name="args"/>, appsettings.json and the environment.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="configure">Last changes before the host is built (tests: their own <see cref="WorkerConsole"/>, log capture).</param>
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);

        // The one line an app needs: binds the "CloudCredentials" section, or uses the default chain without one.
        builder.Services.AddCloudCredentials(builder.Configuration);
        builder.Services.AddSingleton(_ => new WorkerConsole(Console.Out, Console.Error));
        builder.Services.AddHostedService<PrintCredentialWorker>();
        configure?.Invoke(builder);
        return builder.Build();
    }
}

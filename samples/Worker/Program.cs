// A minimal worker: one line registers CloudCredentials from appsettings.json and the environment,
// and the hosted service asks the injected ICredentialSource for the current credential on every use.
using CloudCredentials.Samples.Worker;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddCloudCredentials(builder.Configuration);
builder.Services.AddHostedService<PrintCredentialWorker>();
await builder.Build().RunAsync();

// A minimal worker: one line registers CloudCredentials from appsettings.json and the environment,
// and the hosted service asks the injected ICredentialSource for the current credential on every use.
using CloudCredentials.Samples.Worker;

IHost host = WorkerApp.Build(args);
WorkerConsole console = host.Services.GetRequiredService<WorkerConsole>();
await host.RunAsync(); // Disposes the host when it stops.
return console.ExitCode;

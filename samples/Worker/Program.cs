// A minimal worker: one line registers CloudCredentials from appsettings.json and the environment (with no
// CloudCredentials section: the default chain), and the hosted service asks the injected ICredentialSource for the
// current credential. Run it with a key in the environment:
//   ALIBABA_CLOUD_ACCESS_KEY_ID=... ALIBABA_CLOUD_ACCESS_KEY_SECRET=... dotnet run --project samples/Worker
// With nothing configured it prints what the chain tried and exits 1.
using CloudCredentials.Samples.Worker;

IHost host = WorkerApp.Build(args);
WorkerConsole console = host.Services.GetRequiredService<WorkerConsole>();
await host.RunAsync(); // Disposes the host when it stops.
return console.ExitCode;

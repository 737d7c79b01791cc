using CloudCredentials.Cli;

return await CloudCredsApp.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);

using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace CloudCredentials.Cli;

/// <summary>
/// <c>cloudcreds get</c>: asks the registration's <see cref="ICredentialSource"/> (what the app would get) and prints
/// the identity, masked; <c>--show-secrets</c> is the only way a secret is printed, with a warning on stderr.
/// </summary>
internal static class GetCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var registration = new RegistrationOptions();
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Also print the secret, token and full key ID (warns on stderr). Never paste the output." };
        var command = new Command("get", "Prints the credential the app would get (masked) and when it expires.") { json, showSecrets };
        registration.AddTo(command);
        command.SetAction((parsed, cancellationToken) => CommandErrors.RunAsync(error, async () =>
        {
            await using ServiceProvider services = registration.BuildServices(parsed);
            string? name = registration.Name(parsed);
            ICredentialSource source = name is null ? services.GetRequiredService<ICredentialSource>() : services.GetRequiredKeyedService<ICredentialSource>(name);
            CloudCredential credential;
            try
            {
                credential = await source.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (CredentialUnavailableException ex)
            {
                await error.WriteLineAsync("no credential: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.NotFound;
            }

            bool secrets = parsed.GetValue(showSecrets);
            if (secrets)
            {
                await error.WriteLineAsync("warning: --show-secrets prints secrets in clear text; do not paste, log or share this output.").ConfigureAwait(false);
            }

            await output.WriteLineAsync(parsed.GetValue(json) ? Json(credential, secrets) : Text(credential, secrets)).ConfigureAwait(false);
            return ExitCodes.Found;
        }));
        return command;
    }

    private static string Text(CloudCredential credential, bool secrets)
    {
        var text = new StringBuilder()
            .AppendLine($"type:              {credential.Type}")
            .AppendLine($"provider:          {credential.ProviderName}")
            .AppendLine($"access key id:     {(secrets ? credential.AccessKeyId ?? "(none)" : CloudCredential.MaskAccessKeyId(credential.AccessKeyId))}")
            .Append($"expires:           {Format.Expiration(credential.Expiration)}");
        if (secrets)
        {
            text.AppendLine().Append($"access key secret: {credential.AccessKeySecret ?? "(none)"}")
                .AppendLine().Append($"security token:    {credential.SecurityToken ?? "(none)"}")
                .AppendLine().Append($"bearer token:      {credential.BearerToken ?? "(none)"}");
        }

        return text.ToString();
    }

    private static string Json(CloudCredential credential, bool secrets)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", credential.Type);
            writer.WriteString("provider", credential.ProviderName);
            writer.WriteString("accessKeyId", secrets ? credential.AccessKeyId : CloudCredential.MaskAccessKeyId(credential.AccessKeyId));
            writer.WriteString("expiration", credential.Expiration is null ? null : Format.Expiration(credential.Expiration));
            if (secrets)
            {
                writer.WriteString("accessKeySecret", credential.AccessKeySecret);
                writer.WriteString("securityToken", credential.SecurityToken);
                writer.WriteString("bearerToken", credential.BearerToken);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

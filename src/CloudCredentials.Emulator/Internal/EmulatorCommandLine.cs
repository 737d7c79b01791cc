using System.Globalization;

namespace CloudCredentials.Emulator.Internal;

/// <summary>The program mode's arguments: <c>--port N [--lifetime SECONDS] [--require-imdsv2] [--role-name NAME] [--credentials-path PATH] [--aws-…]</c>.</summary>
internal sealed class EmulatorCommandLine
{
    public const string Usage = """
        Usage: cloudcreds-emulator [options]   (from a clone: dotnet run --project src/CloudCredentials.Emulator -- [options])

          --port N               TCP port on 127.0.0.1 (default 5080; 0 = any free port)
          --lifetime SECONDS     lifetime of issued credentials (default 3600; STS uses min(DurationSeconds, this))
          --require-imdsv2       refuse metadata GETs without an IMDSv2 token (403), like an instance with IMDSv1 disabled
          --role-name NAME       the ECS RAM role name (default EmulatorRole)
          --credentials-path P   path of the credentials URI (default /credentials)

        AWS endpoints (same port):
          --aws-role-name NAME          the EC2 instance profile role name (default EmulatorInstanceRole)
          --aws-imds-v1-disabled        answer 401 to IMDS GETs without an IMDSv2 token (HttpTokens=required)
          --aws-imds-token-ttl SECONDS  grant IMDSv2 tokens at most this TTL (1-21600; default: the TTL asked for)
          --aws-container-path PATH     path of the container credentials endpoint (default /v2/credentials/emulator)
          --aws-container-token VALUE   Authorization value the container endpoint requires (default EmulatorContainerToken)
          --aws-container-no-auth       accept container requests without an Authorization header (ECS task style)
          --aws-web-identity-token T    the only WebIdentityToken AssumeRoleWithWebIdentity accepts (default: any)
          --help                        show this text
        """;

    public const int DefaultPort = 5080;

    public EmulatorOptions Options { get; } = new() { Port = DefaultPort };

    public bool ShowHelp { get; private set; }

    /// <summary>Parses <paramref name="args"/>; returns the error text, or <see langword="null"/> when they are valid.</summary>
    public static string? TryParse(IReadOnlyList<string> args, out EmulatorCommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(args);
        commandLine = new EmulatorCommandLine();
        EmulatorOptions options = commandLine.Options;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--help" or "-h" or "-?":
                    commandLine.ShowHelp = true;
                    break;
                case "--require-imdsv2":
                    options.RequireImdsV2 = true;
                    break;
                case "--port":
                    if (!TryInt(args, ref i, 0, 65535, out int port))
                    {
                        return "--port needs a number from 0 to 65535.";
                    }

                    options.Port = port;
                    break;
                case "--lifetime":
                    if (!TryInt(args, ref i, 1, 7 * 24 * 3600, out int seconds))
                    {
                        return "--lifetime needs a number of seconds from 1 to 604800.";
                    }

                    options.CredentialLifetime = TimeSpan.FromSeconds(seconds);
                    break;
                case "--role-name":
                    if (!TryString(args, ref i, out string roleName) || roleName.Contains('/', StringComparison.Ordinal))
                    {
                        return "--role-name needs a role name (without '/').";
                    }

                    options.RoleName = roleName;
                    break;
                case "--credentials-path":
                    if (!TryString(args, ref i, out string path) || !path.StartsWith('/') || path == "/"
                        || path.StartsWith("/latest/", StringComparison.Ordinal) || path.StartsWith("/_emulator", StringComparison.Ordinal))
                    {
                        return "--credentials-path needs a path starting with '/' (not '/', not under /latest/ or /_emulator).";
                    }

                    options.CredentialsUriPath = path;
                    break;
                default:
                    if (TryParseAws(args, ref i, options.Aws) is { } awsError)
                    {
                        return awsError;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Parses one <c>--aws-*</c> argument; returns the error text, or <see langword="null"/> when it was valid.</summary>
    private static string? TryParseAws(IReadOnlyList<string> args, ref int i, AwsEmulatorOptions aws)
    {
        string arg = args[i];
        switch (arg)
        {
            case "--aws-imds-v1-disabled":
                aws.ImdsV1Disabled = true;
                return null;
            case "--aws-container-no-auth":
                aws.ContainerAuthorizationToken = null;
                return null;
            case "--aws-imds-token-ttl":
                if (!TryInt(args, ref i, 1, 21_600, out int ttl))
                {
                    return "--aws-imds-token-ttl needs a number of seconds from 1 to 21600.";
                }

                aws.MaxImdsTokenTtl = TimeSpan.FromSeconds(ttl);
                return null;
            case "--aws-role-name":
                if (!TryString(args, ref i, out string role) || role.Contains('/', StringComparison.Ordinal))
                {
                    return "--aws-role-name needs a role name (without '/').";
                }

                aws.RoleName = role;
                return null;
            case "--aws-container-path":
                if (!TryString(args, ref i, out string path) || !path.StartsWith('/') || path == "/" || path.Contains('?', StringComparison.Ordinal)
                    || path.StartsWith("/latest/", StringComparison.Ordinal) || path.StartsWith("/_emulator", StringComparison.Ordinal))
                {
                    return "--aws-container-path needs a path starting with '/' (not '/', no '?', not under /latest/ or /_emulator).";
                }

                aws.ContainerPath = path;
                return null;
            case "--aws-container-token":
                if (!TryString(args, ref i, out string token) || token.AsSpan().IndexOfAny('\r', '\n') >= 0)
                {
                    return "--aws-container-token needs a value (without CR/LF).";
                }

                aws.ContainerAuthorizationToken = token;
                return null;
            case "--aws-web-identity-token":
                if (!TryString(args, ref i, out string webToken))
                {
                    return "--aws-web-identity-token needs a value.";
                }

                aws.WebIdentityToken = webToken;
                return null;
            default:
                return "Unknown argument '" + arg + "'.";
        }
    }

    private static bool TryInt(IReadOnlyList<string> args, ref int i, int min, int max, out int value)
    {
        value = 0;
        return i + 1 < args.Count
            && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= min
            && value <= max;
    }

    private static bool TryString(IReadOnlyList<string> args, ref int i, out string value)
    {
        value = i + 1 < args.Count ? args[++i] : string.Empty;
        return value.Length > 0;
    }
}

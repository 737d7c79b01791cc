using CloudCredentials.Alibaba.Profiles;
using CloudCredentials.Processes;
using CloudCredentials.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CloudCredentials.Alibaba.External;

/// <summary>A CLI <c>External</c> profile: the command <see cref="ExternalProvider"/> runs, and where it writes the result back.</summary>
/// <remarks><see cref="ToString"/> does not print the command, whose arguments may carry secrets.</remarks>
internal sealed record ExternalSpec : CredentialSpec
{
    /// <summary>The default <see cref="Timeout"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The <c>process_command</c>, split into arguments without a shell (see <see cref="CommandLineSplitter"/>). Required.</summary>
    public required string Command { get; init; }

    /// <summary>The config.json to write the credential back to; <see langword="null"/> for no write-back.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The profile to write the credential back to; <see langword="null"/> for no write-back.</summary>
    public string? ProfileName { get; init; }

    /// <summary>How long the command may run before it is killed (the registration's <c>Timeout</c> option, when set).</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <inheritdoc />
    public override ICredentialProvider Build(ProviderBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ExternalProvider(
            this,
            context.Services.GetRequiredService<CliConfigWriter>(),
            context.TimeProvider,
            context.LoggerFactory.CreateLogger<ExternalProvider>());
    }

    /// <summary>Describes the spec without the command line.</summary>
    public override string ToString() =>
        $"ExternalSpec {{ ConfigPath = {ConfigPath}, ProfileName = {ProfileName}, Timeout = {Timeout} }}";
}

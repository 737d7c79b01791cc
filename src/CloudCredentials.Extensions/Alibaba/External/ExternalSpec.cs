namespace CloudCredentials.Alibaba.External;

/// <summary>The command <see cref="ExternalProvider"/> runs, and where it writes the result back.</summary>
/// <remarks><see cref="ToString"/> does not print the command, whose arguments may carry secrets.</remarks>
internal sealed record ExternalSettings
{
    /// <summary>The default <see cref="Timeout"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The <c>process_command</c>, split into arguments without a shell (see <see cref="CommandLineSplitter"/>). Required.</summary>
    public required string Command { get; init; }

    /// <summary>The config.json to write the credential back to; <see langword="null"/> for no write-back.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The profile to write the credential back to; <see langword="null"/> for no write-back.</summary>
    public string? ProfileName { get; init; }

    /// <summary>How long the command may run before it is killed.</summary>
    /// <value>The default is 60 seconds.</value>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Describes the settings without the command line.</summary>
    public override string ToString() =>
        $"ExternalSettings {{ ConfigPath = {ConfigPath}, ProfileName = {ProfileName}, Timeout = {Timeout} }}";
}

namespace CloudCredentials.Emulator.Internal;

/// <summary>What an <see cref="EmulatorFault"/> does to the request it hits.</summary>
internal enum EmulatorFaultKind
{
    /// <summary>Answer with a fixed status and body.</summary>
    Status,

    /// <summary>Wait (real time), then answer normally.</summary>
    Delay,

    /// <summary>Answer 200 with a body that is not what the client expects.</summary>
    Garbage,

    /// <summary>Answer with a POP error JSON (STS style).</summary>
    StsError,

    /// <summary>Abort the connection without a response.</summary>
    Drop,

    /// <summary>Answer with an AWS Query API error XML.</summary>
    AwsError,
}

using static CloudCredentials.Analyzers.Tests.AnalyzerVerifier;

namespace CloudCredentials.Analyzers.Tests;

public sealed class CredentialCaptureAnalyzerTests
{
    private const string Usings = "using System; using System.Threading; using System.Threading.Tasks; using CloudCredentials;\n";

    [Fact]
    public Task Instance_field_is_reported() => VerifyAsync(Usings + """
        class Client
        {
            private CloudCredential? {|#0:_credential|};
            public void Use() => Console.WriteLine(_credential);
        }
        """, Diagnostic().WithLocation(0).WithArguments("_credential"));

    [Fact]
    public Task Static_and_readonly_fields_are_reported() => VerifyAsync(Usings + """
        static class Holder
        {
            public static CloudCredential? {|#0:Current|};
            private static readonly CloudCredential {|#1:Fixed|} = new("access_key", "static") { AccessKeyId = "id", AccessKeySecret = "s" };
            public static string Id => Fixed.AccessKeyId!;
        }
        """,
        Diagnostic().WithLocation(0).WithArguments("Current"),
        Diagnostic().WithLocation(1).WithArguments("Fixed"));

    [Fact]
    public Task Auto_properties_are_reported_by_their_name() => VerifyAsync(Usings + """
        class Client
        {
            public CloudCredential? {|#0:Credential|} { get; set; }
            public static CloudCredential? {|#1:Shared|} { get; private set; }
        }
        """,
        Diagnostic().WithLocation(0).WithArguments("Credential"),
        Diagnostic().WithLocation(1).WithArguments("Shared"));

    [Fact]
    public Task Task_ValueTask_and_Lazy_of_a_credential_are_reported() => VerifyAsync(Usings + """
        class Client
        {
            private Task<CloudCredential>? {|#0:_task|};
            private ValueTask<CloudCredential> {|#1:_valueTask|};
            private Lazy<CloudCredential>? {|#2:_lazy|};
            public override string ToString() => $"{_task}{_valueTask}{_lazy}";
        }
        """,
        Diagnostic().WithLocation(0).WithArguments("_task"),
        Diagnostic().WithLocation(1).WithArguments("_valueTask"),
        Diagnostic().WithLocation(2).WithArguments("_lazy"));

    [Fact]
    public Task Capturing_GetCredentialAsync_in_a_constructor_is_reported() => VerifyAsync(Usings + """
        class Client
        {
            private readonly string? _keyId;
            private object? _state;
            public Client(ICredentialSource source)
            {
                {|#0:_keyId = source.GetCredentialAsync().AsTask().GetAwaiter().GetResult().AccessKeyId|};
                {|#1:State = source.GetCredentialAsync().Result|};
            }
            public object? State { get => _state; set => _state = value; }
            public string? KeyId => _keyId;
        }
        """,
        Diagnostic().WithLocation(0).WithArguments("_keyId"),
        Diagnostic().WithLocation(1).WithArguments("State"));

    [Fact]
    public Task The_field_of_a_captured_credential_is_reported_once_at_its_declaration() => VerifyAsync(Usings + """
        class Client
        {
            private readonly CloudCredential {|#0:_credential|};
            public Client(ICredentialSource source) => _credential = source.GetCredentialAsync().AsTask().Result;
            public string? KeyId => _credential.AccessKeyId;
        }
        """, Diagnostic().WithLocation(0).WithArguments("_credential"));

    [Fact]
    public Task Asking_on_every_use_is_not_reported() => VerifyAsync(Usings + """
        class Client(ICredentialSource source)
        {
            private readonly ICredentialSource _source = source;
            private readonly Func<CancellationToken, ValueTask<CloudCredential>> _ask = source.GetCredentialAsync;

            public async Task<string?> SignAsync(CancellationToken ct)
            {
                CloudCredential credential = await _source.GetCredentialAsync(ct);   // a local: fine
                return Describe(credential) + (await _ask(ct)).AccessKeyId;
            }

            private static string? Describe(CloudCredential credential) => credential.AccessKeyId;   // a parameter: fine

            public CloudCredential Current => _source.GetCredentialAsync().AsTask().Result;   // computed, asks each time
        }
        """);

    [Fact]
    public Task A_constructor_that_keeps_a_lambda_asking_later_is_not_reported() => VerifyAsync(Usings + """
        class Client
        {
            private readonly Func<Task<string?>> _keyId;
            public Client(ICredentialSource source)
            {
                _keyId = async () => (await source.GetCredentialAsync()).AccessKeyId;
            }
            public Task<string?> KeyIdAsync() => _keyId();
        }
        """);

    [Fact]
    public Task Records_and_structs_are_data_carriers_and_not_reported() => VerifyAsync(Usings + """
        record SignedRequest(CloudCredential Credential, string Url);
        record struct SigningInput(CloudCredential Credential);
        struct Pair { public CloudCredential Credential; }
        """);

    [Fact]
    public Task A_type_named_like_the_library_type_elsewhere_is_not_reported() => VerifyAsync("""
        namespace Other { class CloudCredential { } }
        namespace App { class Client { private Other.CloudCredential? _credential; public object? C => _credential; } }
        """);
}

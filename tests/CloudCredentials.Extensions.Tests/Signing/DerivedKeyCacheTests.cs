using System.Collections;
using System.Reflection;
using System.Text;
using CloudCredentials.Signing;

namespace CloudCredentials.Tests.Signing;

/// <summary>The SigV4 derived-key cache: right key per (day, secret), and nothing in it that reveals the secret.</summary>
public sealed class DerivedKeyCacheTests
{
    private const string SecretA = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SecretB = "another-secret-value-for-the-cache-test";

    private static string Signature(SigV4Signer signer, string secret, string timestamp) => signer.Sign(
        "GET", "/", null, [new("host", "example.amazonaws.com"), new("x-amz-date", timestamp)], SigV4Signer.EmptyPayloadHash, "AKIDEXAMPLE", secret, timestamp).Signature;

    [Fact]
    public void Sign_SecretOrDayChanges_UsesTheMatchingKey()
    {
        var shared = new SigV4Signer("service", "us-east-1");
        string[] order = ["20150830T123600Z|A", "20150830T123600Z|B", "20150830T123600Z|A", "20150831T000000Z|A", "20150830T123600Z|A"];

        foreach (string step in order)
        {
            string[] parts = step.Split('|');
            string secret = parts[1] == "A" ? SecretA : SecretB;
            Signature(shared, secret, parts[0]).Should().Be(Signature(new SigV4Signer("service", "us-east-1"), secret, parts[0]), step);
        }

        Signature(shared, SecretA, "20150830T123600Z").Should().Be("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    }

    [Fact]
    public void Signer_AfterSigning_HoldsNoFormOfTheSecret()
    {
        var signer = new SigV4Signer("service", "us-east-1");
        Signature(signer, SecretA, "20150830T123600Z");

        List<object> reachable = Reachable(signer);

        reachable.OfType<string>().Should().NotContain(s => s.Contains("EXAMPLEKEY", StringComparison.Ordinal));
        byte[] secretBytes = Encoding.UTF8.GetBytes(SecretA);
        reachable.OfType<byte[]>().Where(b => Contains(b, secretBytes)).Should().BeEmpty();
        reachable.Select(o => o.ToString()).Should().NotContain(s => s != null && s.Contains("EXAMPLEKEY", StringComparison.Ordinal));
        reachable.OfType<byte[]>().Should().Contain(b => b.Length == 32, "the derived key and fingerprint are cached");
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    /// <summary>Every object reachable from <paramref name="root"/> through instance fields of library types.</summary>
    private static List<object> Reachable(object root)
    {
        var seen = new List<object>();
        var pending = new Stack<object>([root]);
        while (pending.Count > 0)
        {
            object current = pending.Pop();
            if (seen.Any(s => ReferenceEquals(s, current)))
            {
                continue;
            }

            seen.Add(current);
            if (current is string or byte[] || current.GetType().Assembly != typeof(SigV4Signer).Assembly)
            {
                continue;
            }

            foreach (FieldInfo field in current.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                if (field.GetValue(current) is { } value && !field.FieldType.IsValueType)
                {
                    pending.Push(value);
                    if (value is IEnumerable items and not string and not byte[])
                    {
                        foreach (object? item in items)
                        {
                            if (item is not null)
                            {
                                pending.Push(item);
                            }
                        }
                    }
                }
            }
        }

        return seen;
    }
}

using CloudCredentials.Http;
using CloudCredentials.Internal;

namespace CloudCredentials.Tests.Internal;

public sealed class CredentialJsonTests
{
    [Theory]
    [InlineData("2026-01-02T03:04:05Z", 0)]
    [InlineData("2026-01-02T03:04:05.1Z", 1_000_000)]
    [InlineData("2026-01-02T03:04:05.123Z", 1_230_000)]
    [InlineData("2026-01-02T03:04:05.1234567Z", 1_234_567)]
    [InlineData("2026-01-02T03:04:05.123456789Z", 1_234_567)]
    [InlineData(" 2026-01-02T03:04:05Z ", 0)]
    public void TryParseExpiration_UtcWithOrWithoutFractions(string text, long extraTicks)
    {
        CredentialJson.TryParseExpiration(text, out DateTimeOffset expiration).Should().BeTrue();
        expiration.Should().Be(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(extraTicks));
        expiration.Offset.Should().Be(TimeSpan.Zero);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tomorrow")]
    [InlineData("01/05/2026 10:00")]
    [InlineData("2026-01-02 03:04:05")]
    public void TryParseExpiration_RejectsOtherFormats(string? text)
        => CredentialJson.TryParseExpiration(text, out _).Should().BeFalse();
}

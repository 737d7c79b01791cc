using CloudCredentials.Alibaba.DefaultChain;
using Microsoft.Extensions.Time.Testing;

namespace CloudCredentials.Tests.Alibaba.DefaultChain;

public sealed class DefaultCredentialChainTests
{
    private sealed class ScriptedProvider(string name) : ICredentialProvider
    {
        public Func<CloudCredential>? Next { get; set; }

        public int Calls { get; private set; }

        public string ProviderName => name;

        public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Next is null
                ? throw new CredentialUnavailableException(name, $"{name} has nothing", null)
                : new ValueTask<CloudCredential>(Next());
        }
    }

    private static CloudCredential Cred(string provider, DateTimeOffset? expiration = null)
        => new("sts", provider) { AccessKeyId = "id-" + provider, AccessKeySecret = "s", SecurityToken = "t", Expiration = expiration };

    [Fact]
    public async Task FetchAsync_FirstSuccessWins_NameHasDefaultPrefix()
    {
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b") { Next = () => Cred("b") };
        var c = new ScriptedProvider("c") { Next = () => Cred("c") };
        var chain = new DefaultCredentialChain([a, b, c], [], new FakeTimeProvider());

        CloudCredential result = await chain.FetchAsync(default);

        result.ProviderName.Should().Be("default/b");
        result.Type.Should().Be("sts");
        c.Calls.Should().Be(0);
    }

    [Fact]
    public async Task FetchAsync_Sticky_AsksLastSuccessfulProviderFirst_AndKeepsPrefix()
    {
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b") { Next = () => Cred("b") };
        var chain = new DefaultCredentialChain([a, b], [], new FakeTimeProvider());

        await chain.FetchAsync(default);
        CloudCredential second = await chain.FetchAsync(default);

        a.Calls.Should().Be(1);
        b.Calls.Should().Be(2);
        second.ProviderName.Should().Be("default/b");
    }

    [Fact]
    public async Task FetchAsync_StickyFailsAfterExpiry_WalksFromTop()
    {
        var time = new FakeTimeProvider();
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b") { Next = () => Cred("b", time.GetUtcNow().AddMinutes(30)) };
        var chain = new DefaultCredentialChain([a, b], [], time);
        await chain.FetchAsync(default);

        time.Advance(TimeSpan.FromHours(1));
        b.Next = null;
        a.Next = () => Cred("a");

        CloudCredential result = await chain.FetchAsync(default);
        result.ProviderName.Should().Be("default/a");
    }

    [Fact]
    public async Task FetchAsync_StickyFailsAfterExpiry_IsNotAskedTwice()
    {
        var time = new FakeTimeProvider();
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b") { Next = () => Cred("b", time.GetUtcNow().AddMinutes(30)) };
        var chain = new DefaultCredentialChain([a, b], [], time);
        await chain.FetchAsync(default);
        time.Advance(TimeSpan.FromHours(1));
        b.Next = null;
        int before = b.Calls;

        Func<Task> act = async () => await chain.FetchAsync(default);

        var ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        (b.Calls - before).Should().Be(1);
        ex.Failures.Select(f => f.ProviderName).Should().Equal("a", "b");
    }

    [Fact]
    public async Task FetchAsync_StickyFailsInsideClockSkewOfExpiry_WalksFromTop()
    {
        var time = new FakeTimeProvider();
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b") { Next = () => Cred("b", time.GetUtcNow().AddMinutes(30)) };
        var chain = new DefaultCredentialChain([a, b], [], time, TimeSpan.FromSeconds(5));
        await chain.FetchAsync(default);
        time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(3));
        b.Next = null;
        a.Next = () => Cred("a");

        (await chain.FetchAsync(default)).ProviderName.Should().Be("default/a");
    }

    [Fact]
    public async Task FetchAsync_StickyFailsWhileItsCredentialIsValid_RethrowsWithoutWalking()
    {
        var time = new FakeTimeProvider();
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b") { Next = () => Cred("b", time.GetUtcNow().AddMinutes(30)) };
        var chain = new DefaultCredentialChain([a, b], [], time);
        await chain.FetchAsync(default);
        b.Next = null;

        Func<Task> act = async () => await chain.FetchAsync(default);

        (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which.ProviderName.Should().Be("b");
        a.Calls.Should().Be(1);
    }

    [Fact]
    public async Task FetchAsync_AllFail_OneErrorListingEveryProviderInOrder()
    {
        var chain = new DefaultCredentialChain([new ScriptedProvider("env"), new ScriptedProvider("cli_profile"), new ScriptedProvider("profile")], ["ecs_ram_role (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)"], new FakeTimeProvider());

        Func<Task> act = async () => await chain.FetchAsync(default);

        var ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.ProviderName.Should().Be("default");
        ex.Failures.Select(f => f.ProviderName).Should().Equal("env", "cli_profile", "profile", "skipped");
        ex.Message.Should().Contain("env: env has nothing; cli_profile: cli_profile has nothing; profile: profile has nothing; skipped: ecs_ram_role (ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)");
    }

    [Fact]
    public async Task FetchAsync_FailureNotRecordedAsSticky_LaterSuccessOfEarlierProviderIsFound()
    {
        var a = new ScriptedProvider("a");
        var b = new ScriptedProvider("b");
        var chain = new DefaultCredentialChain([a, b], [], new FakeTimeProvider());
        Func<Task> act = async () => await chain.FetchAsync(default);
        await act.Should().ThrowAsync<CredentialUnavailableException>();

        a.Next = () => Cred("a");
        (await chain.FetchAsync(default)).ProviderName.Should().Be("default/a");
    }

    [Fact]
    public async Task FetchAsync_UnexpectedException_ReportedByTypeWithoutMessage()
    {
        var bad = new ThrowingProvider();
        var chain = new DefaultCredentialChain([bad], [], new FakeTimeProvider());
        Func<Task> act = async () => await chain.FetchAsync(default);
        var ex = (await act.Should().ThrowAsync<CredentialUnavailableException>()).Which;
        ex.Message.Should().Contain("bad: unexpected InvalidOperationException").And.NotContain("secret-in-message");
    }

    private sealed class ThrowingProvider : ICredentialProvider
    {
        public string ProviderName => "bad";

        public ValueTask<CloudCredential> FetchAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("secret-in-message");
    }
}

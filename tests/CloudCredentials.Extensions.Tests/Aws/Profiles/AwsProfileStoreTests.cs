using CloudCredentials.Aws.Profiles;

namespace CloudCredentials.Tests.Aws.Profiles;

/// <summary>The shared config / credentials files: sections, merge order, comments, case, and errors naming file and line.</summary>
public sealed class AwsProfileStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cc-aws-files-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private AwsProfileStore Load(string? config, string? credentials)
        => AwsProfileStore.Load(config is null ? Path.Combine(_dir.FullName, "no-config") : Write("config", config),
            credentials is null ? Path.Combine(_dir.FullName, "no-credentials") : Write("credentials", credentials));

    [Fact]
    public void ConfigUsesProfilePrefixAndDefault_CredentialsUsesBareNames_CredentialsWinPerKey()
    {
        AwsProfileStore store = Load(
            "[default]\nregion = us-west-2\n[profile dev]\naws_access_key_id = FROMCONFIG\nregion = eu-west-1\n[notaprofile]\nx = 1\n",
            "[dev]\naws_access_key_id = FROMCREDS\naws_secret_access_key = s\n[profile ignored]\nx = 1\n");

        store.Names.Should().Equal("default", "dev");
        AwsProfile dev = store.Find("dev")!;
        dev.Get("aws_access_key_id").Should().Be("FROMCREDS");
        dev.Get("region").Should().Be("eu-west-1");
        store.Find("default")!.Get("region").Should().Be("us-west-2");
    }

    [Fact]
    public void Comments_FullLineAndInlineAfterWhitespace_HashInsideValueKept_KeysCaseInsensitive()
    {
        AwsProfileStore store = Load(null,
            "# comment\n; another\n[p] # header comment\nAWS_Access_Key_ID = AKID ; trailing\nAws_Secret_Access_Key = se#cret\nregion=us-east-1\t# tab comment\n");

        AwsProfile p = store.Find("p")!;
        p.Get("aws_access_key_id").Should().Be("AKID");
        p.Get("aws_secret_access_key").Should().Be("se#cret");
        p.Get("region").Should().Be("us-east-1");
    }

    [Fact]
    public void IndentedLines_ContinueAValue_OrAreSubPropertiesOfAnEmptyOne()
    {
        AwsProfileStore store = Load("[profile p]\ns3 =\n  max_concurrent_requests = 10\nregion = us-east-2\n", null);

        AwsProfile p = store.Find("p")!;
        p.Get("region").Should().Be("us-east-2");
        p.Values.Should().NotContainKey("max_concurrent_requests");
    }

    [Fact]
    public void IndentedKeyAfterAKeyWithAValue_IsAKeyOfItsOwn_AsTheAwsSdkReadsIt()
    {
        AwsProfileStore store = Load(null, "[p]\n  aws_access_key_id = A1\n  aws_secret_access_key = S1\n\tregion = eu-west-1\n  more text\n");

        AwsProfile p = store.Find("p")!;
        p.Get("aws_access_key_id").Should().Be("A1");
        p.Get("aws_secret_access_key").Should().Be("S1");
        p.Get("region").Should().Be("eu-west-1\nmore text", "an indented line without '=' still continues the value");
    }

    [Fact]
    public void MissingFiles_NoProfiles()
    {
        AwsProfileStore store = Load(null, null);

        store.AnyFileExists.Should().BeFalse();
        store.Names.Should().BeEmpty();
        store.DescribeProfiles().Should().Contain("there are no profiles");
    }

    [Theory]
    [InlineData("[default]\nthis line is garbage\n", 2)]
    [InlineData("[default\nregion = x\n", 1)]
    [InlineData("[default]\nregion = x\n[]\n", 3)]
    public void GarbledLine_ThrowsNamingFileAndLine_NotTheContent(string text, int line)
    {
        Action load = () => Load(text, null);

        FormatException ex = load.Should().Throw<FormatException>().Which;
        ex.Message.Should().Contain(Path.Combine(_dir.FullName, "config")).And.Contain($"line {line}").And.NotContain("garbage");
    }

    [Fact]
    public void SecretsNeverInToString()
    {
        AwsProfile p = Load(null, "[p]\naws_access_key_id = AKID\naws_secret_access_key = TopSecretValue\n").Find("p")!;

        p.ToString().Should().NotContain("TopSecretValue").And.Contain("aws_secret_access_key");
    }
}

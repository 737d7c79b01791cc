using System.Text;
using CloudCredentials.Internal;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Internal;

public sealed class BoundedFileReaderTests : IDisposable
{
    private readonly SessionTempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReadAllText_RegularFile_ReturnsItsText_WithoutAByteOrderMark()
    {
        string path = _dir.File("config.json");
        File.WriteAllText(path, "{\"a\":\"é\"}", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        BoundedFileReader.ReadAllText(path, BoundedFileReader.ProfileFileMaxBytes).Should().Be("{\"a\":\"é\"}");
    }

    [Fact]
    public void ReadAllText_ExactlyTheCap_IsRead_OneByteMoreIsRefused()
    {
        string atCap = _dir.Write("at-cap", new string('x', 1024));
        string overCap = _dir.Write("over-cap", new string('x', 1025));

        BoundedFileReader.ReadAllText(atCap, 1024).Should().HaveLength(1024);
        Action act = () => BoundedFileReader.ReadAllText(overCap, 1024);
        act.Should().Throw<InvalidDataException>().WithMessage($"{overCap} is larger than 1 KiB*");
    }

    [Fact]
    public void ReadAllText_TwoMebibytes_IsRefusedNamingTheFileAndTheCap()
    {
        string path = _dir.Write("big.json", new string(' ', 2 * 1024 * 1024));

        Action act = () => BoundedFileReader.ReadAllText(path, BoundedFileReader.ProfileFileMaxBytes);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path} is larger than 1 MiB*");
    }

    [Fact]
    public void ReadAllText_Directory_IsNotARegularFile()
    {
        Action act = () => BoundedFileReader.ReadAllText(_dir.Path, BoundedFileReader.TokenFileMaxBytes);

        act.Should().Throw<InvalidDataException>().WithMessage($"{_dir.Path} is not a regular file (it is a directory)*");
    }

    [Fact]
    public void ReadAllText_Missing_ThrowsFileNotFound()
    {
        Action act = () => BoundedFileReader.ReadAllText(_dir.File("missing"), BoundedFileReader.TokenFileMaxBytes);

        act.Should().Throw<FileNotFoundException>();
    }

    [UnixOnlyFact]
    public async Task ReadAllText_Fifo_FailsFastWithoutOpeningIt()
    {
        string fifo = UnixFiles.MakeFifo(_dir.File("fifo"));

        InvalidDataException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<InvalidDataException>(
            () => Task.FromResult(BoundedFileReader.ReadAllText(fifo, BoundedFileReader.ProfileFileMaxBytes)));

        ex.Message.Should().Be($"{fifo} is not a regular file (it is a named pipe (FIFO)); only regular files are read");
    }

    [UnixOnlyFact]
    public async Task ReadAllText_DevZero_IsRefusedAsADevice_NotReadUntilTheHeapFills()
    {
        InvalidDataException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<InvalidDataException>(
            () => Task.FromResult(BoundedFileReader.ReadAllText("/dev/zero", BoundedFileReader.ProfileFileMaxBytes)));

        ex.Message.Should().StartWith("/dev/zero is not a regular file (it is a character device)");
    }

    [UnixOnlyFact]
    public void ReadAllText_SymlinkToRegularFile_IsFollowed()
    {
        string target = _dir.Write("real.json", "{}");
        string link = _dir.File("link.json");
        File.CreateSymbolicLink(link, target);

        BoundedFileReader.ReadAllText(link, BoundedFileReader.ProfileFileMaxBytes).Should().Be("{}");
    }

    [UnixOnlyFact]
    public async Task ReadAllText_SymlinkToFifo_IsRefused()
    {
        string fifo = UnixFiles.MakeFifo(_dir.File("fifo"));
        string link = _dir.File("link.json");
        File.CreateSymbolicLink(link, fifo);

        InvalidDataException ex = await UnixFiles.ThrowsWithinTenSecondsAsync<InvalidDataException>(
            () => Task.FromResult(BoundedFileReader.ReadAllText(link, BoundedFileReader.ProfileFileMaxBytes)));

        ex.Message.Should().StartWith($"{link} is not a regular file (it is a named pipe (FIFO))");
    }
}

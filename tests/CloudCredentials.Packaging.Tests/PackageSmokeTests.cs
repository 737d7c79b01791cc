using System.Text.RegularExpressions;

namespace CloudCredentials.Packaging.Tests;

/// <summary>
/// Installs the packages as a user would, from the package folder only: the library by PackageReference into a
/// fresh console app (built with warnings as errors, so the bundled analyzer must load), the tools with
/// <c>dotnet tool install</c>. Every tool package in the folder is installed and run (the emulator always; the
/// <c>cloudcreds</c> CLI once its project exists under src/).
/// </summary>
[Collection(PackagesCollection.Name)]
public sealed class PackageSmokeTests(PackageFolder packages)
{
    private static readonly TimeSpan Build = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Run = TimeSpan.FromMinutes(1);

    [Fact]
    public void Dotnet_pack_prints_no_warning()
    {
        if (packages.PackResult is not { } pack)
        {
            return; // packed elsewhere (CLOUDCREDENTIALS_PACKAGES): that pack's own log is what counts
        }

        pack.Output.Split('\n').Where(l => Regex.IsMatch(l, @"\bwarning\b", RegexOptions.IgnoreCase)).Should().BeEmpty(pack.Output);
    }

    [Fact]
    public async Task The_library_package_installs_into_a_fresh_app_that_gets_a_credential_and_the_CC0001_analyzer()
    {
        using FreshDirectory app = await FreshDirectory.CreateAsync(packages.Directory);
        await app.WriteAsync("SmokeApp.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CloudCredentials.Extensions" Version="{packages.VersionOf("CloudCredentials.Extensions")}" />
                <PackageReference Include="Microsoft.Extensions.Configuration" Version="{MicrosoftExtensionsVersion()}" />
              </ItemGroup>
            </Project>
            """);
        await app.WriteAsync("Program.cs", """
            using CloudCredentials;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;

            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CloudCredentials:Type"] = "access_key",
                ["CloudCredentials:AccessKeyId"] = "LTAI5tPackageSmokeKeyId",
                ["CloudCredentials:AccessKeySecret"] = "package-smoke-secret-value",
            }).Build();

            var services = new ServiceCollection();
            services.AddLogging();
            services.AddCloudCredentials(configuration);
            await using ServiceProvider provider = services.BuildServiceProvider();
            CloudCredential credential = await provider.GetRequiredService<ICredentialSource>().GetCredentialAsync();
            Console.WriteLine($"credential: {credential}");
            """);
        await app.WriteAsync("Probe.cs", """
            #if CC0001_PROBE
            internal sealed class KeepsACredential
            {
                public CloudCredentials.CloudCredential? Credential { get; set; }
            }
            #endif
            """);

        ProcessResult build = await DotnetCli.DotnetAsync(app.Path, app.Environment, Build, "build", "--disable-build-servers");
        build.ExitCode.Should().Be(0, build.ToString());
        Directory.Exists(Path.Combine(app.Path, ".nuget-packages", "cloudcredentials.extensions")).Should()
            .BeTrue("the library must come from the package folder into the app's own packages folder");

        ProcessResult run = await DotnetCli.DotnetAsync(app.Path, app.Environment, Run, "run", "--no-build");
        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("credential: ").And.Contain("access_key").And.Contain("LTAI")
            .And.NotContain("LTAI5tPackageSmokeKeyId", "the key id is masked")
            .And.NotContain("package-smoke-secret-value");

        ProcessResult probe = await DotnetCli.DotnetAsync(app.Path, app.Environment, Build,
            "build", "--no-restore", "--disable-build-servers", "-p:DefineConstants=CC0001_PROBE");
        probe.ExitCode.Should().NotBe(0, "the analyzer from the package turns the kept credential into a warning (an error here)");
        probe.Output.Should().Contain("CC0001").And.Contain("'Credential' keeps a CloudCredential");
    }

    [Fact]
    public async Task Every_tool_package_installs_with_dotnet_tool_install_and_runs()
    {
        IReadOnlyList<(string Id, string Command)> tools = packages.ToolPackages();
        tools.Should().Contain(("CloudCredentials.Emulator", "cloudcreds-emulator"));

        using FreshDirectory home = await FreshDirectory.CreateAsync(packages.Directory);
        string toolPath = Path.Combine(home.Path, "tools");
        foreach ((string id, string command) in tools)
        {
            // The folder's nuget.config maps CloudCredentials.* to the package folder (what --add-source does for a user).
            ProcessResult install = await DotnetCli.DotnetAsync(home.Path, home.Environment, Build,
                "tool", "install", id, "--tool-path", toolPath, "--version", packages.VersionOf(id));
            install.ExitCode.Should().Be(0, install.ToString());

            ProcessResult help = await DotnetCli.RunAsync(Path.Combine(toolPath, command), home.Path, home.Environment, Run, "--help");
            help.ExitCode.Should().Be(0, $"{command} --help: {help}");
            help.Output.Should().MatchRegex("(?i)usage", $"{command} --help prints its usage");
            if (command == "cloudcreds-emulator")
            {
                help.Output.Should().Contain("--port").And.Contain("--lifetime").And.Contain("--require-imdsv2");

                // A quick start and stop of the installed tool: it listens on loopback and prints the settings to paste.
                ProcessResult started = await DotnetCli.RunUntilAsync(Path.Combine(toolPath, command), home.Path, home.Environment,
                    "\"StsEndpoint\": \"http://127.0.0.1:", Run, "--port", "0", "--lifetime", "900");
                started.Output.Should().Contain("listening on http://127.0.0.1:").And.Contain("\"Type\": \"ram_role_arn\"");
            }
        }
    }

    private static string MicrosoftExtensionsVersion()
    {
        string props = File.ReadAllText(Path.Combine(PackageFolder.RepositoryRoot, "Directory.Packages.props"));
        return Regex.Match(props, "<MicrosoftExtensionsVersion>(?<v>[^<]+)</MicrosoftExtensionsVersion>").Groups["v"].Value;
    }
}

using CloudCredentials.Alibaba.EcsRamRole;
using CloudCredentials.Alibaba.Options;
using CloudCredentials.Tests.TestSupport;

namespace CloudCredentials.Tests.Alibaba.EcsRamRole;

/// <summary>
/// ALIBABA_CLOUD_IMDSV1_DISABLED can only tighten (issue 10, item 12): IMDSv1 is disabled when a profile or the
/// DisableIMDSv1 setting says true, or when the variable (or its older spelling) does. Before, DisableIMDSv1: false in
/// the app's settings turned an operator's ALIBABA_CLOUD_IMDSV1_DISABLED=true off.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class EcsRamRoleSpecResolveTests : IDisposable
{
    private readonly EnvironmentScope _env = new();

    public EcsRamRoleSpecResolveTests() => _env.Set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", null);

    public void Dispose() => _env.Dispose();

    private static bool DisableV1(bool? profile, bool? setting)
        => EcsRamRoleSpec.Resolve("web", profile, new CloudCredentialsOptions { DisableIMDSv1 = setting })
            .Should().BeOfType<EcsRamRoleSpec>().Subject.DisableImdsV1;

    [Theory]
    [InlineData("ALIBABA_CLOUD_IMDSV1_DISABLED", null, false)]
    [InlineData("ALIBABA_CLOUD_IMDSV1_DISABLED", false, null)]
    [InlineData("ALIBABA_CLOUD_IMDSV1_DISABLED", false, false)]
    [InlineData("ALIBABA_CLOUD_IMDSV1_DISABLE", null, false)]
    [InlineData("ALIBABA_CLOUD_IMDSV1_DISABLE", false, null)]
    public void VariableTrue_SettingOrProfileFalse_StaysDisabled(string variable, bool? profile, bool? setting)
    {
        _env.Set(variable, "true");
        DisableV1(profile, setting).Should().BeTrue();
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, false, false)]
    [InlineData(false, null, false)]
    [InlineData(null, true, true)]
    [InlineData(true, null, true)]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    public void VariableUnset_ProfileOrSettingTrueDisables(bool? profile, bool? setting, bool expected)
        => DisableV1(profile, setting).Should().Be(expected);

    [Fact]
    public void TypedOptions_DisableIMDSv1False_DoesNotLoosenTheVariable()
    {
        _env.Set("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
        var errors = new List<string>();
        AlibabaOptionsMapper.Map(new CloudCredentialsOptions { Type = "ecs_ram_role", RoleName = "web", DisableIMDSv1 = false }, "CloudCredentials", errors)
            .Should().Be(new EcsRamRoleSpec("web", true, new Uri(EcsRamRoleSpec.DefaultMetadataEndpoint)));
        errors.Should().BeEmpty();
    }
}

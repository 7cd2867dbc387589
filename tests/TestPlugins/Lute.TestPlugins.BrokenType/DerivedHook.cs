using Lute.Contracts;
using Lute.TestPlugins.BrokenBase;

namespace Lute.TestPlugins.BrokenType;

/// <summary>A hook whose base type lives in another assembly of the plugin folder.</summary>
[LuteComponent("test.derived")]
internal sealed class DerivedHook : BaseHook;

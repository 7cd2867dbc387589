using Lute.Contracts;
using Newtonsoft.Json;

namespace Lute.TestPlugins.JsonOld;

/// <summary>Reports which Newtonsoft.Json this plugin sees, by serialising with it and naming its assembly version.</summary>
[LuteComponent("test.json-old")]
internal sealed class JsonVersionHook : IHook
{
    public ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        var version = typeof(JsonConvert).Assembly.GetName().Version!.ToString();
        context.Control.AddSummary("json-old", JsonConvert.SerializeObject(new { version }));
        return ValueTask.CompletedTask;
    }
}

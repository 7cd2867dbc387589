using Lute.Host.Configuration;

namespace Lute.Tests.Unit;

public sealed class TaskNamesSpecs
{
    [Theory]
    [InlineData("Index_01", "Index")]
    [InlineData("FindPeaks_7", "FindPeaks")]
    [InlineData("Merge_Run_12", "Merge_Run")]
    [InlineData("Index", "Index")]
    [InlineData("Index_", "Index_")]
    [InlineData("Index01", "Index01")]
    [InlineData("_01", "_01")]
    [InlineData("Index_01a", "Index_01a")]
    public void A_numbered_copy_is_stored_under_its_base_name_as_LUTE_does(string name, string expected)
    {
        Assert.Equal(expected, TaskNames.Base(name));
    }
}

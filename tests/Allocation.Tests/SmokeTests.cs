namespace PBServices.Allocation.Tests;

public class SmokeTests
{
    [Fact]
    public void Placeholder_is_replaced_by_real_tests() => Assert.Equal(2, 1 + 1);
}

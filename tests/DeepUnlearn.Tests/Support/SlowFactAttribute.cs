using System;
using Xunit;

namespace DeepUnlearn.Tests.Support;

/// <summary>A test that takes tens of seconds or more (real data, whole epochs): it runs only when the
/// environment variable <c>DU_SLOW_TESTS=1</c> is set, so the default <c>dotnet test</c> stays fast.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SlowFactAttribute : FactAttribute
{
    public SlowFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DU_SLOW_TESTS") != "1")
        {
            Skip = "slow test: set DU_SLOW_TESTS=1 to run it";
        }
    }
}

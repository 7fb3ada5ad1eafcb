using System;
using DeepUnlearn.Unlearning;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning;

/// <summary>The bad-option check every method's tests share.</summary>
internal static class MethodOptionAssert
{
    /// <summary>
    /// Creating <paramref name="method"/> with <paramref name="key"/> = <paramref name="value"/> fails with an
    /// <see cref="ArgumentException"/> that names <c>method.key</c> and says what is valid (<paramref name="rule"/>).
    /// </summary>
    public static void Rejects(string method, string key, string value, string rule)
    {
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Create(method, [new(key, value)]));
        Assert.Contains(method + "." + key, e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }
}

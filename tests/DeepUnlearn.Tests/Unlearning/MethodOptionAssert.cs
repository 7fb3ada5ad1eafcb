using System;
using System.Collections.Generic;
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
    /// <param name="method">The registered method.</param>
    /// <param name="key">The bad setting.</param>
    /// <param name="value">Its bad value.</param>
    /// <param name="rule">What the message must say is valid.</param>
    /// <param name="context">Other settings applied first (the value may be bad only together with them).</param>
    public static void Rejects(string method, string key, string value, string rule, params KeyValuePair<string, string>[] context)
    {
        var e = Assert.Throws<ArgumentException>(() => MethodRegistry.Create(method, [.. context, new(key, value)]));
        Assert.Contains(method + "." + key, e.Message, StringComparison.Ordinal);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }
}

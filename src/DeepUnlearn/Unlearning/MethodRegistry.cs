using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Configuration;
using DeepUnlearn.Unlearning.Methods.FineTune;
using DeepUnlearn.Unlearning.Methods.Retrain;

namespace DeepUnlearn.Unlearning;

/// <summary>
/// The unlearning methods by name (timm-style registry): one line per method, each with an options record
/// holding its paper's defaults. <see cref="Create"/> applies <c>--set name.key=value</c> settings; unknown
/// names and keys are errors that list what is valid.
/// </summary>
public static class MethodRegistry
{
    private static readonly MethodEntry[] s_methods =
    [
        Entry<RetrainOptions>("retrain", "Train from scratch on the retain set with the original recipe (the gold standard).", "SalUn / Unlearn-Sparse baseline", o => new RetrainMethod(o)),
        Entry<FineTuneOptions>("finetune", "Fine-tune the original on the retain set (catastrophic forgetting of the rest).", "Warnecke et al. 2023; SalUn baseline FT", o => new FineTuneMethod(o)),
    ];

    /// <summary>Every registered method.</summary>
    public static IReadOnlyList<MethodEntry> List() => s_methods;

    /// <summary>The registered names.</summary>
    public static IReadOnlyList<string> Names => s_methods.Select(m => m.Name).ToArray();

    /// <summary>The entry called <paramref name="name"/>; unknown names list the valid ones.</summary>
    public static MethodEntry Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return s_methods.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown unlearning method '{name}'; valid: {string.Join(", ", Names)}");
    }

    /// <summary>The method <paramref name="name"/> with its default options overridden by <paramref name="settings"/>.</summary>
    public static IUnlearningMethod Create(string name, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        MethodEntry entry = Find(name);
        IMethodOptions options = Options(entry, settings);
        return entry.Factory(options);
    }

    /// <summary>The resolved options of <paramref name="entry"/> after <paramref name="settings"/>, validated.</summary>
    public static IMethodOptions Options(MethodEntry entry, IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        IMethodOptions options = SettingsBinder.Apply(entry.Defaults(), settings ?? [], entry.Name);
        options.Validate();
        return options;
    }

    private static MethodEntry Entry<TOptions>(string name, string summary, string source, Func<TOptions, IUnlearningMethod> create)
        where TOptions : class, IMethodOptions, new() =>
        new(name, summary, source, typeof(TOptions), () => new TOptions(), o => create((TOptions)o));
}

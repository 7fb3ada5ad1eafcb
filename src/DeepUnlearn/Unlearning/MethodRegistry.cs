using System;
using System.Collections.Generic;
using System.Linq;
using DeepUnlearn.Configuration;
using DeepUnlearn.Unlearning.Methods.DeltaGrad;
using DeepUnlearn.Unlearning.Methods.Famr;
using DeepUnlearn.Unlearning.Methods.FineTune;
using DeepUnlearn.Unlearning.Methods.GradientAscent;
using DeepUnlearn.Unlearning.Methods.Pgu;
using DeepUnlearn.Unlearning.Methods.RandomLabel;
using DeepUnlearn.Unlearning.Methods.Retrain;
using DeepUnlearn.Unlearning.Methods.SalUn;
using DeepUnlearn.Unlearning.Methods.Scrub;
using DeepUnlearn.Unlearning.Methods.Ssd;

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
        Entry<FamrOptions>("famr", "Uniform predictions on the forget set with a proximal l2 anchor to the original weights.", "Sanga et al. 2025, arXiv 2506.14515 (FAMR)", o => new FamrMethod(o)),
        Entry<PguOptions>("pgu", "Forget-set updates projected out of each layer's retain input subspace.", "Hoang et al., WACV 2024, arXiv 2312.04095 (PGU)", o => new PguMethod(o)),
        Entry<SsdOptions>("ssd", "Dampen parameters far more important to the forget set than to the training set.", "Foster et al., AAAI 2024 (SSD)", o => new SsdMethod(o)),
        Entry<DeltaGradMethodOptions>("deltagrad-head", "Retrain only the classification head (a linear probe on frozen features) by replaying its recorded trajectory without the forget set (L-BFGS between exact steps; exact, T0 = 1, for class requests).", "Wu, Dobriban, Davidson, ICML 2020 (DeltaGrad)", o => new DeltaGradMethod(o)),
        Entry<GradientAscentOptions>("gradient-ascent", "Maximise the cross-entropy on the forget set (GA / NegGrad).", "Thudi et al. 2022; SalUn / Unlearn-Sparse baseline GA (unlearn/GA.py)", o => new GradientAscentMethod(o)),
        Entry<RandomLabelOptions>("random-label", "Fine-tune on the forget set under random wrong labels together with the retain set (RL).", "SalUn / Unlearn-Sparse baseline RL (unlearn/RL.py)", o => new RandomLabelMethod(o)),
        Entry<SalUnOptions>("salun", "Random-label unlearning restricted to the weights most salient for the forget loss.", "Fan et al., ICLR 2024 (SalUn; generate_mask.py + RL.py)", o => new SalUnMethod(o)),
        Entry<ScrubOptions>("scrub", "Teacher-student: move away from the original on the forget set, stay close and accurate on the retain set.", "Kurmanji et al., NeurIPS 2023 (SCRUB)", o => new ScrubMethod(o)),
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

    /// <summary>
    /// The registered method behind a comparison label: <c>famr</c>, or <c>famr@head</c> for a variant of it
    /// (the part after '@' names a second configuration of the same method; letters, digits, '-' and '_').
    /// Returns the entry and the canonical label (the method's registered name, plus '@variant' if any).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown method, or an empty or malformed variant.</exception>
    public static (MethodEntry Entry, string Label) FindLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        string text = label.Trim();
        int at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            MethodEntry plain = Find(text);
            return (plain, plain.Name);
        }
        MethodEntry entry = Find(text[..at]);
        string variant = text[(at + 1)..];
        if (variant.Length == 0 || !variant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"'{label}': a variant is {entry.Name}@NAME with NAME made of letters, digits, '-' or '_' (e.g. {entry.Name}@head)");
        }
        return (entry, entry.Name + "@" + variant.ToLowerInvariant());
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
        new(name, summary, source, typeof(TOptions), () => new TOptions(), o => new GuardedMethod(create((TOptions)o), o));
}

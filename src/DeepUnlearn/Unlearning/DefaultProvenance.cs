using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using DeepUnlearn.Configuration;

namespace DeepUnlearn.Unlearning;

/// <summary>Reads the <see cref="DefaultFromAttribute"/> of every setting of a method's options record.</summary>
public static class DefaultProvenance
{
    /// <summary>
    /// Every setting of <paramref name="optionsType"/> (its <c>--set</c> key, in declaration order) with the attribute
    /// that records its default's origin, or null where none is recorded.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, DefaultFromAttribute?>> Of(Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        var keys = new HashSet<string>(SettingsBinder.Keys(optionsType).Select(k => k.Key), StringComparer.Ordinal);
        return optionsType.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => keys.Contains(SettingsBinder.KeyOf(p.Name)))
            .Select(p => new KeyValuePair<string, DefaultFromAttribute?>(SettingsBinder.KeyOf(p.Name), p.GetCustomAttribute<DefaultFromAttribute>()))
            .ToArray();
    }

    /// <summary>
    /// One line for <c>list methods</c>: the settings grouped by origin, each with its note, e.g.
    /// <c>paper: alpha (eq. 3); authors' code: batch_size (ssd.py); ours: none</c>.
    /// </summary>
    public static string Describe(Type optionsType)
    {
        var settings = Of(optionsType);
        var groups = new List<string>();
        foreach (DefaultOrigin origin in Enum.GetValues<DefaultOrigin>())
        {
            string[] keys = settings.Where(s => s.Value?.Origin == origin).Select(s => Spell(s.Key, s.Value!.Note)).ToArray();
            groups.Add($"{Name(origin)}: {(keys.Length == 0 ? "none" : string.Join(", ", keys))}");
        }
        string[] unknown = settings.Where(s => s.Value is null).Select(s => s.Key).ToArray();
        if (unknown.Length > 0)
        {
            groups.Add($"not recorded: {string.Join(", ", unknown)}");
        }
        return string.Join("; ", groups);
    }

    /// <summary>How an origin is named in listings.</summary>
    public static string Name(DefaultOrigin origin) => origin switch
    {
        DefaultOrigin.Paper => "paper",
        DefaultOrigin.AuthorsCode => "authors' code",
        _ => "ours",
    };

    private static string Spell(string key, string note) => note.Length == 0 ? key : $"{key} ({note})";
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace DeepUnlearn.Configuration;

/// <summary>
/// Binds string settings (<c>key=value</c> from <c>--set</c>, or a JSON object from <c>--config</c>) onto an
/// options record with init-only properties, so every command follows one precedence rule:
/// defaults &lt; file &lt; --set &lt; flags. Keys are the properties' snake_case names
/// (<c>LearningRate</c> → <c>learning_rate</c>); unknown keys and unparsable values are errors that
/// list what is valid.
/// </summary>
public static class SettingsBinder
{
    /// <summary>The snake_case key of a property name.</summary>
    public static string KeyOf(string propertyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(propertyName);
        var builder = new StringBuilder(propertyName.Length + 4);
        for (int i = 0; i < propertyName.Length; i++)
        {
            char c = propertyName[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(propertyName[i - 1]) || char.IsDigit(propertyName[i - 1])
                    || (i + 1 < propertyName.Length && char.IsLower(propertyName[i + 1]) && char.IsUpper(propertyName[i - 1])));
                if (boundary)
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>The settable keys of <typeparamref name="T"/> with their types, in declaration order.</summary>
    public static IReadOnlyList<(string Key, Type Type)> Keys<T>() => Keys(typeof(T));

    /// <summary>The settable keys of <paramref name="type"/> with their types, in declaration order.</summary>
    public static IReadOnlyList<(string Key, Type Type)> Keys(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Settable(type).Select(p => (KeyOf(p.Name), p.PropertyType)).ToArray();
    }

    /// <summary>
    /// A copy of <paramref name="baseline"/> (bound by its run-time type, so <typeparamref name="T"/> may be an
    /// interface) with <paramref name="settings"/> applied. <paramref name="scope"/>
    /// names the options in error messages (<c>famr</c>, <c>train</c>).
    /// </summary>
    public static T Apply<T>(T baseline, IEnumerable<KeyValuePair<string, string>> settings, string scope)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(settings);
        var properties = Settable(baseline.GetType()).ToDictionary(p => KeyOf(p.Name), StringComparer.Ordinal);
        T result = Clone(baseline);
        foreach (var (rawKey, value) in settings)
        {
            string key = rawKey.Trim().Replace('-', '_');
            if (!properties.TryGetValue(key, out PropertyInfo? property))
            {
                throw new ArgumentException(
                    $"unknown setting '{scope}.{rawKey}'; valid keys for {scope}: {string.Join(", ", properties.Keys)}");
            }
            property.SetValue(result, Parse(value, property.PropertyType, $"{scope}.{key}"));
        }
        return result;
    }

    /// <summary>Applies the members of a JSON object (numbers, strings, booleans, arrays of numbers).</summary>
    public static T ApplyJson<T>(T baseline, JsonElement settings, string scope)
        where T : class
    {
        if (settings.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"settings for {scope} must be a JSON object, not {settings.ValueKind}");
        }
        var pairs = settings.EnumerateObject().Select(p => new KeyValuePair<string, string>(
            p.Name,
            p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString() ?? string.Empty,
                JsonValueKind.Array => string.Join(",", p.Value.EnumerateArray().Select(e => e.ToString())),
                _ => p.Value.GetRawText(),
            }));
        return Apply(baseline, pairs, scope);
    }

    /// <summary>Splits <c>scope.key=value</c> entries (from repeated <c>--set</c>) by scope.</summary>
    public static Dictionary<string, List<KeyValuePair<string, string>>> ParseAssignments(IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        var result = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        foreach (string assignment in assignments)
        {
            int eq = assignment.IndexOf('=', StringComparison.Ordinal);
            int dot = assignment.IndexOf('.', StringComparison.Ordinal);
            if (eq <= 0 || dot <= 0 || dot > eq)
            {
                throw new ArgumentException($"--set '{assignment}' must look like scope.key=value (e.g. famr.rho=0.5, train.lr=0.05)");
            }
            string scope = assignment[..dot];
            if (!result.TryGetValue(scope, out var list))
            {
                result[scope] = list = new List<KeyValuePair<string, string>>();
            }
            list.Add(new(assignment[(dot + 1)..eq], assignment[(eq + 1)..]));
        }
        return result;
    }

    /// <summary>The current values of <paramref name="options"/> as snake_case key → JSON-friendly value.</summary>
    public static SortedDictionary<string, object?> Describe(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (PropertyInfo p in Settable(options.GetType()))
        {
            result[KeyOf(p.Name)] = p.GetValue(options);
        }
        return result;
    }

    /// <summary>
    /// The current values of <paramref name="options"/> as <c>key=value, ...</c>, each value spelled the way
    /// <c>--set</c> accepts it (enums as <c>sgd</c>, <c>cross-entropy</c>; an unset optional value as
    /// <c>default</c>), so a line can be copied back into settings.
    /// </summary>
    public static string Format(object options) =>
        string.Join(", ", Describe(options).Select(kv => $"{kv.Key}={FormatValue(kv.Value)}"));

    private static string FormatValue(object? value) => value switch
    {
        null => "default",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        int[] a => string.Join(",", a),
        double[] a => string.Join(",", a.Select(d => d.ToString("G6", CultureInfo.InvariantCulture))),
        bool b => b ? "true" : "false",
        Enum e => KeyOf(e.ToString()).Replace('_', '-'),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.CanWrite && p.SetMethod is { IsPublic: true } && IsSupported(p.PropertyType));

    private static bool IsSupported(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(int) || t == typeof(long) || t == typeof(ulong) || t == typeof(double) || t == typeof(bool)
            || t == typeof(string) || t.IsEnum || t == typeof(int[]) || t == typeof(double[]);
    }

    private static T Clone<T>(T value)
        where T : class
    {
        MethodInfo? clone = value.GetType().GetMethod("<Clone>$", BindingFlags.Instance | BindingFlags.Public);
        if (clone is null)
        {
            throw new InvalidOperationException($"{value.GetType().Name} must be a record to be bound from settings");
        }
        return (T)clone.Invoke(value, null)!;
    }

    private static object? Parse(string text, Type type, string key)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (text.Length == 0 || text.Equals("null", StringComparison.OrdinalIgnoreCase) || text.Equals("default", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
            type = underlying;
        }
        CultureInfo inv = CultureInfo.InvariantCulture;
        string s = text.Trim();
        bool ok;
        object? value;
        if (type == typeof(string))
        {
            return s;
        }
        if (type == typeof(int))
        {
            ok = int.TryParse(s, NumberStyles.Integer, inv, out int v);
            value = v;
        }
        else if (type == typeof(long))
        {
            ok = long.TryParse(s, NumberStyles.Integer, inv, out long v);
            value = v;
        }
        else if (type == typeof(ulong))
        {
            ok = ulong.TryParse(s, NumberStyles.Integer, inv, out ulong v);
            value = v;
        }
        else if (type == typeof(double))
        {
            ok = double.TryParse(s, NumberStyles.Float, inv, out double v) && !double.IsNaN(v);
            value = v;
        }
        else if (type == typeof(bool))
        {
            ok = bool.TryParse(s, out bool v);
            value = v;
        }
        else if (type.IsEnum)
        {
            string normalized = s.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal);
            ok = Enum.TryParse(type, normalized, ignoreCase: true, out value) && Enum.IsDefined(type, value!);
            if (!ok)
            {
                throw new ArgumentException($"'{text}' is not valid for {key}; valid: {string.Join(", ", Enum.GetNames(type).Select(n => KeyOf(n).Replace('_', '-')))}");
            }
        }
        else if (type == typeof(int[]))
        {
            string[] parts = s.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var values = new int[parts.Length];
            ok = true;
            for (int i = 0; i < parts.Length && ok; i++)
            {
                ok = int.TryParse(parts[i], NumberStyles.Integer, inv, out values[i]);
            }
            value = values;
        }
        else if (type == typeof(double[]))
        {
            string[] parts = s.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var values = new double[parts.Length];
            ok = true;
            for (int i = 0; i < parts.Length && ok; i++)
            {
                ok = double.TryParse(parts[i], NumberStyles.Float, inv, out values[i]);
            }
            value = values;
        }
        else
        {
            throw new ArgumentException($"{key} has an unsupported type {type.Name}");
        }
        if (!ok)
        {
            throw new ArgumentException($"'{text}' is not a valid {Describe(type)} for {key}");
        }
        return value;
    }

    private static string Describe(Type type) => type == typeof(double) ? "number" : type == typeof(bool) ? "boolean (true/false)" : type == typeof(int[]) ? "comma-separated integer list" : type.Name.ToLowerInvariant();
}

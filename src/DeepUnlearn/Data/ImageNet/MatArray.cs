using System;
using System.Collections.Generic;

namespace DeepUnlearn.Data.ImageNet;

/// <summary>One array read by <see cref="MatFile"/>: numbers, text, a struct array or a cell array.</summary>
internal sealed class MatArray(string name, int arrayClass, int[] dimensions)
{
    /// <summary>An empty array (MATLAB's <c>[]</c>).</summary>
    public static MatArray Empty { get; } = new(string.Empty, 6, [0, 0]) { Numbers = [] };

    /// <summary>The variable name (empty inside structs and cells).</summary>
    public string Name { get; } = name;

    /// <summary>The MATLAB array class (mxDOUBLE_CLASS = 6, mxCHAR_CLASS = 4, mxSTRUCT_CLASS = 2, ...).</summary>
    public int ArrayClass { get; } = arrayClass;

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Dimensions { get; } = dimensions;

    /// <summary>Numeric values, column-major, as doubles; null unless numeric.</summary>
    public double[]? Numbers { get; init; }

    /// <summary>The text of a char array; null unless char.</summary>
    public string? Text { get; init; }

    /// <summary>A struct array's field names; null unless struct.</summary>
    public IReadOnlyList<string>? FieldNames { get; init; }

    /// <summary>A struct array's elements (column-major), each one array per field; null unless struct.</summary>
    public IReadOnlyList<MatArray[]>? Elements { get; init; }

    /// <summary>A cell array's cells (column-major); null unless cell.</summary>
    public IReadOnlyList<MatArray>? Cells { get; init; }

    /// <summary>Field <paramref name="field"/> of struct element <paramref name="element"/>.</summary>
    /// <exception cref="System.IO.InvalidDataException">Not a struct, or no such field (the message lists the fields).</exception>
    public MatArray Field(int element, string field)
    {
        if (FieldNames is null || Elements is null)
        {
            throw new System.IO.InvalidDataException($"'{Name}' is not a struct array");
        }
        int index = -1;
        for (int f = 0; f < FieldNames.Count; f++)
        {
            if (string.Equals(FieldNames[f], field, StringComparison.Ordinal))
            {
                index = f;
                break;
            }
        }
        if (index < 0)
        {
            throw new System.IO.InvalidDataException($"struct '{Name}' has no field '{field}'; its fields: {string.Join(", ", FieldNames)}");
        }
        return Elements[element][index];
    }

    /// <summary>The single number this array holds.</summary>
    /// <exception cref="System.IO.InvalidDataException">Not a numeric scalar.</exception>
    public double AsScalar() =>
        Numbers is { Length: 1 } n ? n[0] : throw new System.IO.InvalidDataException($"expected a number, found {Describe()}");

    /// <summary>The text this array holds.</summary>
    /// <exception cref="System.IO.InvalidDataException">Not a char array.</exception>
    public string AsText() =>
        Text ?? (Numbers is { Length: 0 } ? string.Empty : throw new System.IO.InvalidDataException($"expected text, found {Describe()}"));

    private string Describe() => $"an array of class {ArrayClass} with dimensions [{string.Join("x", Dimensions)}]";
}

using System;
using System.CommandLine;
using System.Linq;
using DeepUnlearn.Data.Splits;

namespace DeepUnlearn.Cli;

/// <summary>The deletion-request options of unlearn, compare, demo and evaluate: exactly one of class, fraction, count or id file.</summary>
internal sealed class ForgetOptions
{
    public Option<string?> Class { get; } = new("--forget-class") { Description = "Forget whole classes: names or indices, comma-separated (e.g. Trouser or 1,7)." };

    public Option<double?> Fraction { get; } = new("--forget-fraction") { Description = "Forget a random fraction of the training split (e.g. 0.1)." };

    public Option<int?> Count { get; } = new("--forget-count") { Description = "Forget a random number of training samples." };

    public Option<string?> Ids { get; } = new("--forget-ids") { Description = "Forget the sample ids listed in FILE (one per line; # comments)." };

    public Option<bool> Stratified { get; } = new("--stratified") { Description = "Draw random requests per class (class-stratified)." };

    public Option<ulong> RequestSeed { get; } = new("--request-seed") { Description = "Seed of random requests.", DefaultValueFactory = _ => 0UL };

    public void AddTo(Command command)
    {
        command.Options.Add(Class);
        command.Options.Add(Fraction);
        command.Options.Add(Count);
        command.Options.Add(Ids);
        command.Options.Add(Stratified);
        command.Options.Add(RequestSeed);
    }

    /// <summary>Whether any of the request options was given (evaluate's request is optional).</summary>
    public bool Given(ParseResult parse) =>
        parse.GetValue(Class) is not null || parse.GetValue(Fraction) is not null || parse.GetValue(Count) is not null || parse.GetValue(Ids) is not null;

    public ForgetRequest Resolve(ParseResult parse)
    {
        string? classes = parse.GetValue(Class);
        double? fraction = parse.GetValue(Fraction);
        int? count = parse.GetValue(Count);
        string? ids = parse.GetValue(Ids);
        int given = new object?[] { classes, fraction, count, ids }.Count(v => v is not null);
        if (given != 1)
        {
            throw new ArgumentException(
                $"give exactly one deletion request: --forget-class, --forget-fraction, --forget-count or --forget-ids ({(given == 0 ? "none" : "several")} given)");
        }
        ulong seed = parse.GetValue(RequestSeed);
        bool stratified = parse.GetValue(Stratified);
        if (classes is not null)
        {
            return ForgetRequest.ForClassNames(classes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        if (fraction is double f)
        {
            return ForgetRequest.RandomFraction(f, seed, stratified);
        }
        if (count is int n)
        {
            return ForgetRequest.RandomCount(n, seed, stratified);
        }
        return ForgetRequest.FromIdFile(ids!);
    }
}

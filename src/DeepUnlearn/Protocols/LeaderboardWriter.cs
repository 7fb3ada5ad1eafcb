using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeepUnlearn.Reporting;

namespace DeepUnlearn.Protocols;

/// <summary>
/// Writes a <see cref="Leaderboard"/> as <c>leaderboard.md</c>, <c>.csv</c>, <c>.json</c>, <c>.tex</c> and SVG charts
/// (per request: UA/RA/TA/MIA with 95% CI whiskers, and run time). The scale, synthetic numbers and a weak original
/// are stated at the top of every format.
/// </summary>
public static class LeaderboardWriter
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private static readonly Dictionary<string, string> s_headers = new(StringComparer.Ordinal)
    {
        ["ua"] = "UA",
        ["ra"] = "RA",
        ["ta"] = "TA",
        ["ta_forgotten"] = "TA-f",
        ["va"] = "VA",
        ["mia"] = "MIA",
        ["loss_mia"] = "loss-MIA",
        ["js_forget"] = "JS forget",
        ["gap"] = "Gap ↓",
        ["seconds"] = "time (s)",
        ["speed_up"] = "speed-up",
        ["time_ratio"] = "time / retrain",
        ["ulira_auc"] = "U-LiRA AUC",
        ["ulira_tpr_01"] = "TPR@0.1%",
        ["forget_score"] = "F",
    };

    /// <summary>The attack columns a table shows when the sweep ran the per-example attacks (definitions under the table).</summary>
    private static readonly string[] s_attackColumns = ["ulira_auc", "ulira_tpr_01", "forget_score"];

    /// <summary>The statistic every table reports, in words.</summary>
    public const string StatisticText = "mean ± half-width of the 95% confidence interval of the mean (Student's t, n − 1 degrees of freedom) over seeds; the mean alone for one seed";

    /// <summary>Writes every format into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> WriteAll(Leaderboard board, string directory)
    {
        ArgumentNullException.ThrowIfNull(board);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        void Write(string name, string text)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.WriteAllText(path, text);
            files.Add(path);
        }
        Write("leaderboard.md", Markdown(board));
        Write("leaderboard.csv", Csv(board));
        Write("leaderboard.json", Json(board));
        Write("leaderboard.tex", Latex(board));
        foreach (LeaderboardTable table in board.Tables)
        {
            Write($"{table.RequestId}-metrics.svg", MetricsChart(board, table));
            Write($"{table.RequestId}-time.svg", TimeChart(board, table));
            if (table.Attacks is not null)
            {
                Write(AttackRocFile(table), Evaluation.Attacks.AttackRocChart.Svg(table.Attacks.ULira));
            }
        }
        return files;
    }

    /// <summary>The warnings every format starts with (scale, synthetic numbers, the original, failures).</summary>
    public static IReadOnlyList<string> Banners(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var banners = new List<string>();
        if (board.Synthetic)
        {
            banners.Add("SYNTHETIC: these numbers come from the synthetic runner (--synthetic); they test the sweep's plumbing and say nothing about any method");
        }
        if (board.Recipe.IsDerivedScale)
        {
            banners.Add($"SCALE {board.Recipe.Scale.ToUpperInvariant()}: {board.Recipe.ScaleDescription}; a reduced derivation of the protocol, not comparable to the published figures");
        }
        foreach (OriginalCheck check in board.Originals.Where(o => o.NeedsWarning))
        {
            banners.Add($"ORIGINAL: {check.Message}");
        }
        foreach (string warning in board.Selections.SelectMany(s => s.EdgeWarnings))
        {
            banners.Add($"GRID EDGE: {warning}");
        }
        if (board.Failed.Count > 0 || board.Missing.Count > 0)
        {
            banners.Add($"INCOMPLETE: {board.Failed.Count} cells failed and {board.Missing.Count} are missing; rows show how many seeds they average");
        }
        return banners;
    }

    /// <summary>The leaderboard in Markdown.</summary>
    public static string Markdown(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        ProtocolRecipe recipe = board.Recipe;
        var sb = new StringBuilder();
        sb.AppendLine(s_inv, $"# Leaderboard: {recipe.Title}");
        sb.AppendLine();
        foreach (string banner in Banners(board))
        {
            sb.AppendLine(s_inv, $"> **{banner}**");
            sb.AppendLine(">");
        }
        sb.AppendLine(s_inv, $"Recipe `{recipe.Name}` (hash `{recipe.ShortHash}`), scale {recipe.ScaleLabel}; {recipe.Model.Name} on {recipe.Dataset.Name}; seeds {string.Join(", ", recipe.Seeds)}.");
        sb.AppendLine();
        sb.AppendLine(s_inv, $"Training of the original and the oracles: {FormatSettings(recipe.Training)}{(recipe.TrainingSource is null ? "" : $" — {recipe.TrainingSource}")}{VerificationMark.Suffix(recipe.TrainingVerified)}.");
        sb.AppendLine();
        sb.AppendLine(s_inv, $"Percent except times. UA = 100 − forget accuracy, RA = retain accuracy, TA = test accuracy (on the remaining classes for class-wise requests; TA-f on the forgotten ones), MIA = SalUn's MIA-efficacy, Gap = SalUn's Avg. Gap of the means to retrain over UA, RA, TA, MIA; time = the method's wall time (retrain: the oracle's training). Each cell: {StatisticText}. Pareto: no other method is both faster and closer to retrain.");
        foreach (LeaderboardTable table in board.Tables)
        {
            sb.AppendLine();
            sb.AppendLine(s_inv, $"## `{table.RequestId}`: {table.Forget}{(table.Description is null ? "" : $" — {table.Description}")}");
            sb.AppendLine();
            sb.Append(MarkdownTable(board, table));
            sb.Append(AttackSection(table));
            if (table.Published is not null)
            {
                sb.AppendLine();
                sb.Append(BesidePublished(board, table));
            }
        }
        if (board.TimeBudgetSeconds is double budget)
        {
            sb.AppendLine();
            sb.AppendLine(s_inv, $"## Matched run time: methods within {budget:G4} s");
            foreach (LeaderboardTable table in board.Tables)
            {
                sb.AppendLine();
                sb.AppendLine(s_inv, $"`{table.RequestId}`, closest to retrain first:");
                sb.AppendLine();
                sb.AppendLine("| method | Gap ↓ | time (s) | UA | RA | TA | MIA |");
                sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
                foreach (LeaderboardRow row in table.Rows.Where(r => r.WithinBudget == true && r.Method != Cell.Retrain).OrderBy(r => r.Gap ?? double.MaxValue).ThenBy(r => r.Method, StringComparer.Ordinal))
                {
                    sb.AppendLine(s_inv, $"| {row.Method} | {Num(row.Gap)} | {CellText(row, "seconds", 1)} | {CellText(row, "ua")} | {CellText(row, "ra")} | {CellText(row, "ta")} | {CellText(row, "mia")} |");
                }
            }
        }
        sb.AppendLine();
        sb.AppendLine("## Settings");
        sb.AppendLine();
        sb.AppendLine("The settings the reported cells ran with, over each method's defaults (`deepunlearn list methods`):");
        sb.AppendLine();
        foreach (RecipeMethod method in recipe.Methods)
        {
            LeaderboardRow? row = board.Tables.SelectMany(t => t.Rows).FirstOrDefault(r => r.Method == method.Label && r.Seeds > 0);
            IReadOnlyDictionary<string, string> settings = row?.Settings ?? method.Settings;
            string searched = method.HasGrid ? " (searched on the validation request; see below)" : "";
            sb.AppendLine(s_inv, $"- `{method.Label}`: {FormatSettings(settings)}{searched}{(method.Source is null ? "" : $" — {method.Source}")}{VerificationMark.Suffix(method.SourceVerified)}");
        }
        if (board.Selections.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Hyper-parameter search (validation requests only)");
            sb.AppendLine();
            sb.AppendLine(s_inv, $"Criterion: {HyperparameterSearch.Criterion}. The reported requests never take part.");
            foreach (SelectionRecord s in board.Selections)
            {
                sb.AppendLine();
                string choice = s.Chosen is null ? $"**no choice**: {s.Error}" : $"chose **{FormatSettings(s.Chosen)}**";
                sb.AppendLine(s_inv, $"`{s.Method}` on `{s.ValidationRequest}` (used for {string.Join(", ", s.ReportRequests.Select(r => $"`{r}`"))}): {choice}; grid {FormatGrid(s.Grid)}");
                sb.AppendLine();
                foreach (string warning in s.EdgeWarnings)
                {
                    sb.AppendLine(s_inv, $"> **GRID EDGE: {warning}**");
                    sb.AppendLine();
                }
                sb.AppendLine("| # | settings | seeds | failed | UA | RA | VA | MIA | validation Gap ↓ |");
                sb.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                foreach (SelectionCandidate c in s.Candidates)
                {
                    string mark = c.Index == s.ChosenIndex ? " ✓" : "";
                    sb.AppendLine(s_inv, $"| {c.Index}{mark} | {FormatSettings(c.Settings)} | {c.Seeds} | {c.Failed} | {Num(c.UnlearningAccuracy)} | {Num(c.RetainAccuracy)} | {Num(c.ValidationAccuracy)} | {Num(c.MiaEfficacy)} | {Num(c.Gap)} |");
                }
            }
        }
        if (recipe.Notes.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Notes from the recipe");
            sb.AppendLine();
            foreach (string note in recipe.Notes)
            {
                sb.AppendLine(s_inv, $"- {note}");
            }
        }
        if (board.Failed.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## Failed cells");
            sb.AppendLine();
            foreach (var (id, error) in board.Failed)
            {
                sb.AppendLine(s_inv, $"- `{id}`: {error}");
            }
        }
        if (board.Missing.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(s_inv, $"## Missing cells ({board.Missing.Count})");
            sb.AppendLine();
            sb.AppendLine(string.Join(", ", board.Missing.Select(m => $"`{m}`")));
        }
        sb.AppendLine();
        sb.AppendLine("## Provenance");
        sb.AppendLine();
        foreach (var (what, count) in board.Provenance)
        {
            sb.AppendLine(s_inv, $"- {count} cells: {what}");
        }
        foreach (OriginalCheck check in board.Originals)
        {
            sb.AppendLine(s_inv, $"- original `{CanonicalJson.Short(check.Key)}`: {check.Message}");
        }
        sb.AppendLine(s_inv, $"- merged from: {string.Join(", ", board.Sources)}");
        return sb.ToString();
    }

    /// <summary>One request's table in Markdown (the columns the recipe's metrics name).</summary>
    public static string MarkdownTable(Leaderboard board, LeaderboardTable table)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(table);
        string[] columns = Columns(board.Recipe, table);
        var sb = new StringBuilder();
        sb.AppendLine($"| method | n | {string.Join(" | ", columns.Select(c => s_headers[c]))} | Pareto |");
        sb.AppendLine($"| --- | ---: | {string.Join(" | ", columns.Select(_ => "---:"))} | :---: |");
        foreach (LeaderboardRow row in table.Rows)
        {
            string n = row.Failed + row.Missing > 0 ? $"{row.Seeds} (+{row.Failed} failed, {row.Missing} missing)" : row.Seeds.ToString(s_inv);
            string pareto = row.Pareto switch { true => "✓", false => "", null => "–" };
            sb.AppendLine($"| {row.Label} | {n} | {string.Join(" | ", columns.Select(c => Value(row, c)))} | {pareto} |");
        }
        sb.Append(MiaFootnote(table));
        return sb.ToString();
    }

    /// <summary>
    /// The per-example attacks under a table (<c>sweep --attacks</c>): their definitions, one row per method and "do
    /// nothing", as <c>compare</c> prints them, and what is missing. Empty when the sweep ran none.
    /// </summary>
    public static string AttackSection(LeaderboardTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sb = new StringBuilder();
        if (table.Attacks is not null)
        {
            sb.AppendLine();
            sb.Append(table.Attacks.ToMarkdown(AttackRocFile(table)));
        }
        if (table.AttackNote is not null)
        {
            sb.AppendLine();
            sb.AppendLine(s_inv, $"> Attacks: {table.AttackNote}.");
        }
        return sb.ToString();
    }

    /// <summary>The U-LiRA ROC chart's file name of a request.</summary>
    public static string AttackRocFile(LeaderboardTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"{table.RequestId}-attack-roc.svg";
    }

    /// <summary>
    /// The note under a table whose MIA column carries a † (as <c>compare</c>'s report marks it): which rows, on how
    /// many seeds, and why the number says nothing about membership there. Empty when no row is marked.
    /// </summary>
    public static string MiaFootnote(LeaderboardTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        LeaderboardRow[] marked = table.Rows.Where(r => r.MiaDegenerateSeeds > 0).ToArray();
        if (marked.Length == 0)
        {
            return "";
        }
        string which = string.Join(", ", marked.Select(r => $"{r.Label} ({r.MiaDegenerateSeeds} of {r.Seeds} seeds)"));
        return Environment.NewLine + $"† MIA-efficacy from degenerate forget outputs: {which}. At least 95% of the forget samples' true-class confidences lie within ±{Evaluation.MembershipInference.DegenerateBand} of one value, so the SVC puts the whole forget set on one side of its threshold: 0 or 100 says on which side that value falls, not whether the samples look like members." + Environment.NewLine;
    }

    /// <summary>Our numbers beside the published ones, column by column, for one request.</summary>
    public static string BesidePublished(Leaderboard board, LeaderboardTable table)
    {
        ArgumentNullException.ThrowIfNull(board);
        ArgumentNullException.ThrowIfNull(table);
        PublishedTable published = table.Published ?? throw new ArgumentException($"request {table.RequestId} has no published figures");
        var sb = new StringBuilder();
        string status = published.Verified
            ? $"values checked against the paper by {published.VerifiedBy}"
            : "NOT VERIFIED against the paper: 'unknown' where no verified value was entered";
        sb.AppendLine(s_inv, $"Ours beside the published figures: {board.Recipe.Published!.Source}, {published.Table}{(published.Statistic is null ? "" : $" ({published.Statistic})")}; {status}.");
        if (board.Recipe.IsDerivedScale)
        {
            sb.AppendLine();
            sb.AppendLine(s_inv, $"Ours are at scale {board.Recipe.ScaleLabel}: they are not expected to match.");
        }
        if (published.Note is not null)
        {
            sb.AppendLine();
            sb.AppendLine(published.Note);
        }
        sb.AppendLine();
        string[] keys = ["ua", "ra", "ta", "mia", "gap"];
        sb.AppendLine($"| method | {string.Join(" | ", keys.Select(k => $"{s_headers[k]} ours | {s_headers[k]} paper"))} |");
        sb.AppendLine($"| --- | {string.Join(" | ", keys.Select(_ => "---: | ---:"))} |");
        foreach (LeaderboardRow row in table.Rows)
        {
            PublishedRow? paper = published.Rows.FirstOrDefault(r => r.Method == row.Method);
            string name = paper?.PaperName is string p && p != row.Method ? $"{row.Label} ({p})" : row.Label;
            sb.AppendLine($"| {name} | {string.Join(" | ", keys.Select(k => $"{Value(row, k)} | {PaperValue(paper, k, published.Verified)}"))} |");
        }
        sb.Append(MiaFootnote(table));
        return sb.ToString();
    }

    /// <summary>One row per request and method, every metric as mean, CI half-width, standard deviation and n.</summary>
    public static string Csv(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var sb = new StringBuilder();
        string[] metrics = LeaderboardBuilder.MetricReaders.Select(m => m.Key).ToArray();
        sb.Append("recipe,recipe_hash,scale,synthetic,request,method,seeds,failed,missing");
        foreach (string m in metrics)
        {
            sb.Append(s_inv, $",{m}_mean,{m}_ci95,{m}_std");
        }
        sb.AppendLine(",mia_degenerate_seeds,gap,speed_up,time_ratio,pareto,within_budget,ulira_auc,ulira_tpr_1,ulira_tpr_01,forget_score,median_epsilon,settings");
        foreach (LeaderboardTable table in board.Tables)
        {
            foreach (LeaderboardRow row in table.Rows)
            {
                sb.Append(s_inv, $"{board.Recipe.Name},{board.Recipe.Hash},{board.Recipe.Scale},{(board.Synthetic ? "true" : "false")},{table.RequestId},{CsvText(row.Method)},{row.Seeds},{row.Failed},{row.Missing}");
                foreach (string m in metrics)
                {
                    MetricSummary? s = row.Get(m);
                    sb.Append(s_inv, $",{Raw(s?.Mean)},{Raw(s?.HalfWidth95)},{Raw(s?.Std)}");
                }
                sb.AppendLine(s_inv, $",{row.MiaDegenerateSeeds},{Raw(row.Gap)},{Raw(row.SpeedUp)},{Raw(row.TimeRatio)},{Bool(row.Pareto)},{Bool(row.WithinBudget)},{Raw(row.ULiraAuc)},{Raw(row.ULiraTprAt1Percent)},{Raw(row.ULiraTprAt01Percent)},{Raw(row.ForgetScore)},{Raw(row.MedianEpsilon)},{CsvText(FormatSettings(row.Settings))}");
            }
        }
        return sb.ToString();
    }

    /// <summary>The leaderboard as JSON: <c>tables</c> and <c>selections</c> (identical however the sweep was split) and provenance.</summary>
    public static string Json(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var json = new JsonObject
        {
            ["schema"] = "deepunlearn.leaderboard/1",
            ["recipe"] = board.Recipe.Name,
            ["title"] = board.Recipe.Title,
            ["recipe_hash"] = board.Recipe.Hash,
            ["scale"] = board.Recipe.Scale,
            ["scale_description"] = board.Recipe.ScaleDescription,
            ["synthetic"] = board.Synthetic,
            ["statistic"] = StatisticText,
            ["banners"] = new JsonArray(Banners(board).Select(b => (JsonNode)JsonValue.Create(b)).ToArray()),
            ["time_budget_seconds"] = board.TimeBudgetSeconds,
            ["tables"] = JsonSerializer.SerializeToNode(board.Tables, JsonFile.Options),
            ["selections"] = JsonSerializer.SerializeToNode(board.Selections, JsonFile.Options),
            ["originals"] = JsonSerializer.SerializeToNode(board.Originals, JsonFile.Options),
            ["failed"] = JsonSerializer.SerializeToNode(board.Failed.ToDictionary(kv => kv.Key, kv => kv.Value), JsonFile.Options),
            ["missing"] = JsonSerializer.SerializeToNode(board.Missing, JsonFile.Options),
            ["provenance"] = JsonSerializer.SerializeToNode(board.Provenance.ToDictionary(kv => kv.Key, kv => kv.Value), JsonFile.Options),
            ["published_source"] = board.Recipe.Published?.Source,
            ["sources"] = JsonSerializer.SerializeToNode(board.Sources, JsonFile.Options),
        };
        return json.ToJsonString(JsonFile.Options) + "\n";
    }

    /// <summary>One booktabs table per request, for papers.</summary>
    public static string Latex(Leaderboard board)
    {
        ArgumentNullException.ThrowIfNull(board);
        var sb = new StringBuilder();
        sb.AppendLine("% Generated by deepunlearn merge; needs \\usepackage{booktabs}.");
        foreach (string banner in Banners(board))
        {
            sb.AppendLine(s_inv, $"% {banner}");
        }
        foreach (LeaderboardTable table in board.Tables)
        {
            string[] columns = Columns(board.Recipe, table);
            sb.AppendLine("\\begin{table}[t]");
            sb.AppendLine("\\centering");
            sb.AppendLine(s_inv, $"\\caption{{{Tex(board.Recipe.Title)}: request \\texttt{{{Tex(table.RequestId)}}} ({Tex(table.Forget)}). {Tex(Banners(board).Count > 0 ? string.Join("; ", Banners(board)) + ". " : "")}Mean $\\pm$ 95\\% CI half-width (Student's $t$) over {board.Recipe.Seeds.Count} seeds; scale {Tex(board.Recipe.ScaleLabel)}.}}");
            sb.AppendLine(s_inv, $"\\label{{tab:{Tex(board.Recipe.Name)}-{Tex(table.RequestId)}}}");
            sb.AppendLine(s_inv, $"\\begin{{tabular}}{{l{new string('r', columns.Length)}}}");
            sb.AppendLine("\\toprule");
            sb.AppendLine(s_inv, $"Method & {string.Join(" & ", columns.Select(c => Tex(s_headers[c].Replace(" ↓", "", StringComparison.Ordinal)) + (c == "gap" ? " $\\downarrow$" : "")))} \\\\");
            sb.AppendLine("\\midrule");
            foreach (LeaderboardRow row in table.Rows)
            {
                sb.AppendLine(s_inv, $"{Tex(row.Label)} & {string.Join(" & ", columns.Select(c => TexValue(row, c)))} \\\\");
                if (row.Method == Cell.Retrain)
                {
                    sb.AppendLine("\\midrule");
                }
            }
            sb.AppendLine("\\bottomrule");
            sb.AppendLine("\\end{tabular}");
            sb.AppendLine("\\end{table}");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string MetricsChart(Leaderboard board, LeaderboardTable table)
    {
        string[] methods = table.Rows.Select(r => r.Method).ToArray();
        (string, Stat[])[] series = new[] { ("UA", "ua"), ("RA", "ra"), ("TA", "ta"), ("MIA", "mia") }
            .Select(s => (s.Item1, table.Rows.Select(r => Whisker(r.Get(s.Item2))).ToArray())).ToArray();
        return SvgChart.GroupedBars($"{ChartPrefix(board)}{table.RequestId}: UA, RA, TA, MIA (%), whiskers 95% CI", methods, series, maxValue: 100);
    }

    private static string TimeChart(Leaderboard board, LeaderboardTable table) =>
        SvgChart.GroupedBars($"{ChartPrefix(board)}{table.RequestId}: run time (s), whiskers 95% CI", table.Rows.Select(r => r.Method).ToArray(),
            [("seconds", table.Rows.Select(r => Whisker(r.Get("seconds"))).ToArray())], maxValue: null);

    private static string ChartPrefix(Leaderboard board) =>
        (board.Synthetic ? "SYNTHETIC " : "") + (board.Recipe.IsDerivedScale ? $"[scale {board.Recipe.Scale}] " : "");

    /// <summary>SvgChart draws mean ± Std; we pass the CI half-width as the whisker.</summary>
    private static Stat Whisker(MetricSummary? s) => s is null ? new Stat(double.NaN, 0, 0) : new Stat(s.Mean, s.HalfWidth95 ?? 0, s.Count);

    private static string[] Columns(ProtocolRecipe recipe, LeaderboardTable table) =>
        recipe.Metrics.Where(m => m != "ta_forgotten" || table.ClassWise).Concat(table.Attacks is null ? [] : s_attackColumns).ToArray();

    private static string Value(LeaderboardRow row, string key) => key switch
    {
        "mia" => CellText(row, key) + (row.MiaDegenerateSeeds > 0 ? " †" : ""),
        "gap" => Num(row.Gap),
        "speed_up" => row.Method == Cell.Retrain ? "1.0" : Num(row.SpeedUp, 1),
        "time_ratio" => Num(row.TimeRatio, 3),
        "seconds" => CellText(row, key, 1),
        "js_forget" => CellText(row, key, 4),
        "ulira_auc" => Num(row.ULiraAuc, 3),
        "ulira_tpr_01" => row.ULiraTprAt01Percent is double t ? (100 * t).ToString("F2", s_inv) + "%" : "–",
        "forget_score" => Num(row.ForgetScore, 3),
        _ => CellText(row, key),
    };

    private static string TexValue(LeaderboardRow row, string key)
    {
        string text = Value(row, key).Replace("%", "\\%", StringComparison.Ordinal).Replace("±", "\\pm", StringComparison.Ordinal).Replace("–", "--", StringComparison.Ordinal).Replace(" †", "^{\\dagger}", StringComparison.Ordinal);
        return text == "--" ? text : $"${text}$";
    }

    private static string CellText(LeaderboardRow row, string key, int decimals = 2) => row.Get(key)?.Format(decimals) ?? "–";

    private static string Num(double? value, int decimals = 2) =>
        value is double v ? v.ToString("F" + decimals.ToString(s_inv), s_inv) : "–";

    /// <summary>A published value as the table prints it; values of a table nobody verified say so next to the number.</summary>
    private static string PaperValue(PublishedRow? row, string key, bool verified)
    {
        if (row?.Get(key) is not double value)
        {
            return "unknown";
        }
        string text = row.Get(key + "_std") is double std
            ? $"{value.ToString("F2", s_inv)} ± {std.ToString("F2", s_inv)} (std)"
            : value.ToString("F2", s_inv);
        return verified ? text : $"{text} (unverified)";
    }

    private static string FormatGrid(IReadOnlyList<GridAxis> grid) =>
        grid.Count == 0 ? "(none recorded)" : string.Join(" × ", grid.Select(a => $"{a.Key} ∈ [{string.Join(", ", a.Values)}]"));

    private static string FormatSettings(IReadOnlyDictionary<string, string> settings) =>
        settings.Count == 0 ? "defaults" : string.Join(", ", settings.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Raw(double? value) => value is double v ? v.ToString("R", s_inv) : "";

    private static string Bool(bool? value) => value switch { true => "true", false => "false", null => "" };

    private static string CsvText(string text) =>
        text.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;

    private static string Tex(string text) =>
        text.Replace("\\", "\\textbackslash{}", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("&", "\\&", StringComparison.Ordinal).Replace("#", "\\#", StringComparison.Ordinal)
            .Replace("±", "$\\pm$", StringComparison.Ordinal).Replace("—", "---", StringComparison.Ordinal).Replace("–", "--", StringComparison.Ordinal)
            .Replace("−", "$-$", StringComparison.Ordinal).Replace("≥", "$\\geq$", StringComparison.Ordinal);
}

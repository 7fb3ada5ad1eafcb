using System;
using System.CommandLine;
using DeepUnlearn.Engine;

namespace DeepUnlearn.Cli;

/// <summary>
/// <c>--amp</c> and <c>--channels-last</c>, shared by <c>train</c>, <c>unlearn</c> and <c>compare</c>: a bad value is a
/// parse error (exit code 1, listing the valid values) before any data is read.
/// </summary>
internal sealed class PrecisionCliOptions
{
    private readonly Option<string> _amp = new("--amp")
    {
        Description = "Mixed precision of forward passes: auto (CUDA: bf16 on compute capability ≥ 8.0, else fp16 with loss scaling; CPU: off), off, bf16 or fp16.",
        DefaultValueFactory = _ => "auto",
    };

    private readonly Option<string> _channelsLast = new("--channels-last")
    {
        Description = "Channels-last (NHWC) layout of convolution weights and inputs: auto (on for conv models on CUDA, off on the CPU), on or off.",
        DefaultValueFactory = _ => "auto",
    };

    public PrecisionCliOptions()
    {
        _amp.Validators.Add(result => Check(result, r => PrecisionOptions.ParseAmp(r.GetValueOrDefault<string>()!)));
        _channelsLast.Validators.Add(result => Check(result, r => PrecisionOptions.ParseChannelsLast(r.GetValueOrDefault<string>()!)));
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_amp);
        command.Options.Add(_channelsLast);
    }

    /// <summary>The options as given (validated at parse time).</summary>
    public PrecisionOptions Resolve(ParseResult parse) => new()
    {
        Amp = PrecisionOptions.ParseAmp(parse.GetValue(_amp)!),
        ChannelsLast = PrecisionOptions.ParseChannelsLast(parse.GetValue(_channelsLast)!),
    };

    private static void Check(System.CommandLine.Parsing.OptionResult result, Action<System.CommandLine.Parsing.OptionResult> parse)
    {
        try
        {
            parse(result);
        }
        catch (ArgumentException e)
        {
            result.AddError(e.Message);
        }
    }
}

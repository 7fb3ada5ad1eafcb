using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepUnlearn.Training;

/// <summary>
/// An optimizer's state as named tensors and numbers, in PyTorch's <c>state_dict()</c> naming, so training-state
/// files keep the layout DeepUnlearn has always written (and that earlier versions' files load):
/// <c>state.{i}.momentum_buffer</c> (SGD), <c>state.{i}.step</c>, <c>state.{i}.exp_avg</c>,
/// <c>state.{i}.exp_avg_sq</c>, <c>state.{i}.max_exp_avg_sq</c> (Adam, AdamW; i = the parameter's index over all groups)
/// and <c>param_groups.{g}.param_count</c>, <c>.lr</c>, <c>.initial_lr</c>. TorchSharp's own optimizer
/// serialisation is a private binary format; its live per-parameter state objects are read and written here instead.
/// </summary>
internal static class OptimizerStateIO
{
    /// <summary>Copies of the optimizer's tensors (caller owns them) and its numbers.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, double> Scalars) Capture(OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var dict = optimizer.state_dict();
        using (torch.no_grad())
        {
            for (int i = 0; i < dict.State.Count; i++)
            {
                foreach (var (key, value) in TensorsOf(dict.State[i]))
                {
                    if (value is not null)
                    {
                        tensors.Add(StateName(i, key), value.detach().clone().cpu().DetachFromDisposeScope());
                    }
                }
                if (StepOf(dict.State[i]) is long step && step > 0)
                {
                    tensors.Add(StateName(i, "step"), torch.tensor((float)step).DetachFromDisposeScope());
                }
            }
        }
        for (int g = 0; g < dict.Options.Count; g++)
        {
            scalars.Add(GroupName(g, "param_count"), dict.StateIndexRef[g].Count);
            if (dict.Options[g].LearningRate is double lr)
            {
                scalars.Add(GroupName(g, "lr"), lr);
            }
            scalars.Add(GroupName(g, "initial_lr"), dict.Options[g].InitialLearningRate);
        }
        return (tensors, scalars);
    }

    /// <summary>
    /// Restores the per-parameter state <see cref="Capture"/> wrote into <paramref name="optimizer"/>, after checking
    /// that every name, shape and group size fits (nothing is changed when something does not). The recorded learning
    /// rates are not applied: the caller's schedule, replayed to the resumed epoch, sets them (TorchSharp's schedules
    /// are chainable, so a restored rate would be decayed twice).
    /// </summary>
    /// <exception cref="InvalidDataException">The state does not fit this optimizer; the message lists what.</exception>
    public static void Restore(OptimizerHelper optimizer, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> scalars, string source)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var dict = optimizer.state_dict();
        var parameters = optimizer.parameters().ToList();
        var problems = new List<string>();
        for (int g = 0; g < dict.Options.Count; g++)
        {
            if (!scalars.TryGetValue(GroupName(g, "param_count"), out double count) || (int)count != dict.StateIndexRef[g].Count)
            {
                problems.Add($"group {g} has {dict.StateIndexRef[g].Count} parameters in the optimizer, {(scalars.ContainsKey(GroupName(g, "param_count")) ? count.ToString(CultureInfo.InvariantCulture) : "none")} in the state");
            }
        }
        foreach (var (name, tensor) in tensors)
        {
            if (!TryParseStateName(name, out int index, out string key) || index >= dict.State.Count)
            {
                problems.Add($"unexpected '{name}' (this optimizer has {dict.State.Count} parameters)");
                continue;
            }
            bool known = key == "step" ? StepOf(dict.State[index]) is not null : TensorsOf(dict.State[index]).Any(t => t.Key == key);
            if (!known)
            {
                problems.Add($"unexpected state '{name}' for a {optimizer.GetType().Name}");
            }
            else if (key != "step" && !tensor.shape.SequenceEqual(parameters[index].shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", tensor.shape)}], parameter {index} has [{string.Join(", ", parameters[index].shape)}]");
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"'{source}': the optimizer state does not fit this {optimizer.GetType().Name}: {string.Join("; ", problems.Take(10))}");
        }
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in tensors)
            {
                TryParseStateName(name, out int index, out string key);
                Parameter parameter = parameters[index];
                if (key == "step")
                {
                    SetStep(dict.State[index], (long)Math.Round(tensor.ToDouble()));
                    continue;
                }
                Tensor value = tensor.to(parameter.dtype, parameter.device, copy: true).DetachFromDisposeScope();
                SetTensor(dict.State[index], key, value);
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, Tensor?>> TensorsOf(OptimizerState state) => state switch
    {
        SGD.State s => [new("momentum_buffer", s.momentum_buffer)],
        Adam.State a => [new("exp_avg", a.exp_avg), new("exp_avg_sq", a.exp_avg_sq), new("max_exp_avg_sq", a.max_exp_avg_sq)],
        AdamW.State a => [new("exp_avg", a.exp_avg), new("exp_avg_sq", a.exp_avg_sq), new("max_exp_avg_sq", a.max_exp_avg_sq)],
        _ => throw new NotSupportedException($"saving the state of {state.GetType().FullName} is not supported; supported: SGD, Adam, AdamW"),
    };

    private static long? StepOf(OptimizerState state) => state switch
    {
        Adam.State a => a.step,
        AdamW.State a => a.step,
        _ => null,
    };

    private static void SetStep(OptimizerState state, long step)
    {
        switch (state)
        {
            case Adam.State a:
                a.step = step;
                break;
            case AdamW.State a:
                a.step = step;
                break;
        }
    }

    private static void SetTensor(OptimizerState state, string key, Tensor value)
    {
        switch (state, key)
        {
            case (SGD.State s, "momentum_buffer"):
                s.momentum_buffer?.Dispose();
                s.momentum_buffer = value;
                break;
            case (Adam.State a, _):
                Replace(ref a.exp_avg, ref a.exp_avg_sq, ref a.max_exp_avg_sq, key, value);
                break;
            case (AdamW.State a, _):
                Replace(ref a.exp_avg, ref a.exp_avg_sq, ref a.max_exp_avg_sq, key, value);
                break;
        }
    }

    private static void Replace(ref Tensor expAvg, ref Tensor expAvgSq, ref Tensor maxExpAvgSq, string key, Tensor value)
    {
        switch (key)
        {
            case "exp_avg":
                expAvg?.Dispose();
                expAvg = value;
                break;
            case "exp_avg_sq":
                expAvgSq?.Dispose();
                expAvgSq = value;
                break;
            default:
                maxExpAvgSq?.Dispose();
                maxExpAvgSq = value;
                break;
        }
    }

    private static string StateName(int index, string key) => string.Create(CultureInfo.InvariantCulture, $"state.{index}.{key}");

    private static string GroupName(int group, string key) => string.Create(CultureInfo.InvariantCulture, $"param_groups.{group}.{key}");

    private static bool TryParseStateName(string name, out int index, out string key)
    {
        index = -1;
        key = string.Empty;
        string[] parts = name.Split('.', 3);
        return parts.Length == 3 && parts[0] == "state"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out index)
            && (key = parts[2]).Length > 0;
    }
}

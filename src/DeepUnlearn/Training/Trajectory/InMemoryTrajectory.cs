using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepUnlearn.Training.Trajectory;

/// <summary>A trajectory held as tensors (on a chosen device) and arrays.</summary>
internal sealed class InMemoryTrajectory : TrainingTrajectory
{
    private readonly Device _device;
    private readonly List<long[]> _ids = new();
    private readonly List<double> _rates = new();
    private readonly List<Tensor> _parameters = new();
    private readonly List<Tensor> _gradients = new();
    private bool _disposed;

    public InMemoryTrajectory(TrajectoryMetadata metadata, Device device)
        : base(metadata)
    {
        _device = device;
    }

    public override int StepCount => _ids.Count;

    public override bool IsReadOnly => false;

    public override string Location => "memory";

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (Tensor t in _parameters)
        {
            t.Dispose();
        }
        foreach (Tensor t in _gradients)
        {
            t.Dispose();
        }
        _parameters.Clear();
        _gradients.Clear();
    }

    private protected override long[] BatchIdsCore(int step) => (long[])_ids[step].Clone();

    private protected override double LearningRateCore(int step) => _rates[step];

    private protected override Tensor ReadCore(int step, bool gradient, Device device, ScalarType dtype)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Tensor stored = gradient ? _gradients[step] : _parameters[step];
        return stored.to(dtype, device, copy: true);
    }

    private protected override void AppendCore(ReadOnlySpan<long> batchIds, double learningRate, Tensor parameters, Tensor gradient)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Tensor w = Store(parameters);
        Tensor g;
        try
        {
            g = Store(gradient);
        }
        catch
        {
            w.Dispose();
            throw;
        }
        _parameters.Add(w);
        _gradients.Add(g);
        _ids.Add(batchIds.ToArray());
        _rates.Add(learningRate);
    }

    private Tensor Store(Tensor source)
    {
        using var scope = torch.NewDisposeScope();
        Tensor copy = source.detach().reshape(Metadata.ParameterCount).to(Metadata.ElementType, _device, copy: true);
        // The store owns its copies for its whole life, whatever scope the caller runs in.
        return copy.DetachFromDisposeScope();
    }
}

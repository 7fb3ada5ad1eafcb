using System;
using System.Diagnostics;
using System.Globalization;
using DeepUnlearn.Data;
using DeepUnlearn.Training;
using DeepUnlearn.Unlearning;

namespace DeepUnlearn.Cli;

/// <summary>
/// Training progress on standard error: a live single-line bar on a terminal (epoch, step, loss, img/s,
/// ETA), and a line every few seconds when the output is redirected (CI logs stay readable).
/// </summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>, IProgress<UnlearningProgress>, IProgress<DataProgress>
{
    private readonly string _label;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private readonly Stopwatch _phaseClock = new();
    private int _lastEpoch = int.MinValue;
    private string? _phase;
    private int _phaseFirstStep;
    private long _phaseFirstImages;

    public ConsoleProgress(string label)
    {
        _label = label;
    }

    public void Report(TrainingProgress value) => Write(
        value.Epoch,
        value.Step,
        value.StepsPerEpoch,
        string.Create(CultureInfo.InvariantCulture, $"{_label} epoch {value.Epoch + 1}/{value.Epochs}"),
        ProgressText.Tail(value.Loss, value.ImagesPerSecond, double.NaN, value.Eta));

    public void Report(UnlearningProgress value)
    {
        // A method's own steps: measure img/s (or it/s) and the ETA on this phase's clock, unless the reporter (the
        // trainer of a retrain) measured them itself.
        string phase = value.Method + "\n" + value.Phase;
        if (phase != _phase || value.Step < _phaseFirstStep)
        {
            _phase = phase;
            _phaseFirstStep = value.Step;
            _phaseFirstImages = value.Images;
            _phaseClock.Restart();
        }
        var (imagesPerSecond, stepsPerSecond, eta) = ProgressText.Measure(value.Step - _phaseFirstStep, value.Images - _phaseFirstImages, _phaseClock.Elapsed, value.Steps > 0 ? value.Steps - value.Step : -1);
        Write(
            value.Phase.GetHashCode(StringComparison.Ordinal),
            value.Step,
            value.Steps,
            $"{value.Method} {value.Phase}",
            double.IsNaN(value.ImagesPerSecond)
                ? ProgressText.Tail(value.Loss, imagesPerSecond, stepsPerSecond, eta)
                : ProgressText.Tail(value.Loss, value.ImagesPerSecond, double.NaN, value.Eta));
    }

    public void Report(DataProgress value) => Write(
        value.Phase.GetHashCode(StringComparison.Ordinal),
        (int)Math.Min(value.Done, int.MaxValue),
        (int)Math.Min(value.Total, int.MaxValue),
        $"{_label} {value.Phase}",
        string.Empty);

    private void Write(int phase, int step, int steps, string head, string tail)
    {
        bool phaseDone = steps > 0 && step >= steps;
        if (!_interactive && !phaseDone && _sinceLastLine.Elapsed.TotalSeconds < 10 && phase == _lastEpoch)
        {
            return;
        }
        _lastEpoch = phase;
        _sinceLastLine.Restart();
        const int width = 24;
        int filled = steps <= 0 ? 0 : (int)Math.Min(width, (long)width * step / steps);
        string bar = new string('#', filled) + new string('-', width - filled);
        string count = steps > 0 ? string.Create(CultureInfo.InvariantCulture, $"{step}/{steps}") : step.ToString(CultureInfo.InvariantCulture);
        string line = $"{head} [{bar}] {count} {tail}";
        bool epochDone = phaseDone;
        if (_interactive)
        {
            Console.Error.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 120, 160)));
            if (epochDone)
            {
                Console.Error.WriteLine();
            }
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }
}

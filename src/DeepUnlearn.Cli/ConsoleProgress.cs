using System;
using System.Diagnostics;
using System.Globalization;
using DeepUnlearn.Training;

namespace DeepUnlearn.Cli;

/// <summary>
/// Training progress on standard error: a live single-line bar on a terminal (epoch, step, loss, img/s,
/// ETA), and a line every few seconds when the output is redirected (CI logs stay readable).
/// </summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private readonly string _label;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();
    private int _lastEpoch = -1;

    public ConsoleProgress(string label)
    {
        _label = label;
    }

    public void Report(TrainingProgress value)
    {
        bool epochDone = value.Step == value.StepsPerEpoch;
        if (!_interactive && !epochDone && _sinceLastLine.Elapsed.TotalSeconds < 10 && value.Epoch == _lastEpoch)
        {
            return;
        }
        _lastEpoch = value.Epoch;
        _sinceLastLine.Restart();
        const int width = 24;
        int filled = value.StepsPerEpoch == 0 ? width : (int)((long)width * value.Step / value.StepsPerEpoch);
        string bar = new string('#', filled) + new string('-', width - filled);
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{_label} epoch {value.Epoch + 1}/{value.Epochs} [{bar}] {value.Step}/{value.StepsPerEpoch} loss {value.Loss:F4} {value.ImagesPerSecond:F0} img/s ETA {Format(value.Eta)}");
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

    private static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}

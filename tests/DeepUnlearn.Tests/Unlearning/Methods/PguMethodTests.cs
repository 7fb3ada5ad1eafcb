using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.Pgu;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>PGU's forget loss and learning-rate schedule against closed forms and the authors' loop.</summary>
public class PguMethodTests
{
    [Fact]
    public void LearningRate_Pass_MatchesTheAuthorsPerEpochDecayAfterTheirEvaluationOnlyEpoch()
    {
        // unlearn_class.py: alpha = exp(log(end/start)/num_epochs); base_lr = start; epoch 0 only evaluates;
        // base_lr *= alpha after every epoch. With num_epochs = 100, epoch e ≥ 1 updates with start·alpha^e.
        const int numEpochs = 100;
        double alpha = Math.Exp(Math.Log(0.01 / 0.05) / numEpochs);
        double baseLr = 0.05;
        for (int epoch = 0; epoch < numEpochs; epoch++)
        {
            if (epoch > 0)
            {
                Assert.Equal(baseLr, PguMethod.LearningRate(0.05, 0.01, epoch, numEpochs - 1), 12);
            }
            baseLr *= alpha;
        }
    }

    [Fact]
    public void ForgetLoss_MatchesTheClosedForm()
    {
        using var scope = torch.NewDisposeScope();
        Tensor logits = torch.tensor(new double[] { 2, 0, -1, 0.5, 0.5, 0.5 }, [2, 3]);
        Tensor labels = torch.tensor(new long[] { 0, 2 }, [2]);
        double loss = PguMethod.ForgetLoss(logits, labels, offset: 0.05, confidenceWeight: 1, entropyWeight: 0.2).ToDouble();

        double expected = 0;
        double[][] rows = [[2, 0, -1], [0.5, 0.5, 0.5]];
        int[] y = [0, 2];
        for (int i = 0; i < 2; i++)
        {
            double norm = rows[i].Sum(Math.Exp);
            double[] prob = rows[i].Select(v => Math.Exp(v) / norm).ToArray();
            expected += (-Math.Log(1 - (prob[y[i]] - 0.05)) + (0.2 * prob.Sum(pk => pk * Math.Log(pk)))) / 2;
        }
        Assert.Equal(expected, loss, 12);
    }
}

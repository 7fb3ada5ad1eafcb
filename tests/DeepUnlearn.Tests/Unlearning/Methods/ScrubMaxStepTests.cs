using System.Threading;
using DeepUnlearn.Data;
using DeepUnlearn.Engine;
using DeepUnlearn.Models;
using TorchSharp;
using DataLoader = DeepUnlearn.Data.DataLoader;
using static TorchSharp.torch;
using DeepUnlearn.Unlearning.Methods.Scrub;
using Xunit;

namespace DeepUnlearn.Tests.Unlearning.Methods;

/// <summary>SCRUB's max-steps must push the student away from the teacher on D_f: the KL between them rises.</summary>
public class ScrubMaxStepTests(SoftmaxRegressionProblem problem) : IClassFixture<SoftmaxRegressionProblem>
{
    [Fact]
    public void MaxStepPass_PerturbedStudent_RaisesTheKlToTheTeacherOnTheForgetSet()
    {
        // A student a little away from the teacher (at the teacher itself the KL is at its minimum, 0, where any
        // move raises it): a descent on d would bring it back and lower the KL, the max-step must raise it.
        using var threads = new SingleThread();
        var options = new ScrubOptions { Temperature = 4, ForgetBatchSize = 16 };
        using ClassifierModel teacher = problem.Original.DeepCopy();
        teacher.eval();
        using ClassifierModel student = problem.Original.DeepCopy();
        using (torch.no_grad())
        using (var generator = new Generator(3))
        using (var scope = torch.NewDisposeScope())
        {
            student.Head.weight.add_(torch.randn(student.Head.weight.shape, generator: generator), 0.05);
        }
        double before = ForgetKl(student, teacher, options.Temperature);
        Assert.True(before > 1e-4, $"the perturbed student's KL is {before:G3}: too close to the teacher to tell directions apart");

        using DataLoader forget = problem.Context.ForgetLoader(options.ForgetBatchSize, shuffle: true);
        using var optimizer = new SgdOptimizer([.. student.TrainableParameters()], 0.05);
        int step = 0;
        double mean = ScrubMethod.MaxStepPass(problem.Context, student, teacher, forget, optimizer, options, 0, ref step, forget.BatchCount, "hint", CancellationToken.None);
        double after = ForgetKl(student, teacher, options.Temperature);

        Assert.Equal(forget.BatchCount, step);
        Assert.True(mean >= before, $"the KL measured during the pass ({mean:G4}) fell below the starting {before:G4}");
        Assert.True(after > 2 * before, $"one max-step pass moved the KL on D_f from {before:G4} to {after:G4}: it must rise");
    }

    /// <summary>d(x; w_s) over all of D_f in one batch, the student in evaluation mode.</summary>
    private double ForgetKl(ClassifierModel student, ClassifierModel teacher, double temperature)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        bool training = student.training;
        student.eval();
        using DataLoader forget = problem.Context.ForgetLoader(100_000, shuffle: false);
        double kl = 0;
        foreach (Batch all in forget.Epoch(0, CancellationToken.None))
        {
            kl = ScrubMethod.DistillationLoss(student.call(all.Images), teacher.call(all.Images), temperature).ToDouble();
        }
        student.train(training);
        return kl;
    }
}

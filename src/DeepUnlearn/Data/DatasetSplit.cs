namespace DeepUnlearn.Data;

/// <summary>Which part of a dataset's distribution to read.</summary>
public enum DatasetSplit
{
    /// <summary>The training part (CIFAR's data batches, MNIST's <c>train-*</c>, a folder's <c>train/</c>).</summary>
    Train,

    /// <summary>The held-out test part (CIFAR's test batch, MNIST's <c>t10k-*</c>, a folder's <c>val/</c> or <c>test/</c>).</summary>
    Test,
}

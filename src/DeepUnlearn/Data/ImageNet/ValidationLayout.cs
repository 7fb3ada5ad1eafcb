namespace DeepUnlearn.Data.ImageNet;

/// <summary>How an ILSVRC-2012 validation folder is labelled.</summary>
public enum ValidationLayout
{
    /// <summary><c>val/&lt;wnid&gt;/*.JPEG</c>, as torchvision's ImageNet and the common <c>valprep.sh</c> leave it.</summary>
    ClassFolders,

    /// <summary>Flat <c>val/*.JPEG</c> labelled by the devkit's ground-truth file and <c>meta.mat</c>.</summary>
    DevkitGroundTruth,

    /// <summary>Flat <c>val/*.JPEG</c> labelled by the Kaggle challenge's <c>LOC_val_solution.csv</c>.</summary>
    LocSolution,
}

namespace DeepUnlearn.TopicModels;

/// <summary>One binary package of a Debian <c>Packages</c> index: its name, source, archive section and one-line description.</summary>
/// <param name="Package">The package name (the <c>Package:</c> field).</param>
/// <param name="Source">The source package it is built from (the <c>Source:</c> field without a version; the package name if absent).</param>
/// <param name="Section">The section without its component prefix (<c>contrib/games</c> becomes <c>games</c>).</param>
/// <param name="Description">The synopsis: the first line of the <c>Description:</c> field.</param>
public sealed record DebianPackageEntry(string Package, string Source, string Section, string Description);

namespace DeepUnlearn.Protocols;

/// <summary>One forget request of a protocol.</summary>
/// <param name="Id">Its identifier in cell ids and tables (lower-case letters, digits, '-' and '_').</param>
/// <param name="Forget">
/// The request in <c>ForgetRequest.Parse</c>'s form (<c>classes:airplane</c>, <c>count:4500</c>,
/// <c>fraction:0.1@7</c>, <c>ids:FILE</c>). A random request without <c>@SEED</c> is drawn with the cell's seed.
/// </param>
/// <param name="Role">Reported, or held out for hyper-parameter search.</param>
/// <param name="Validation">For a reported request: the id of the validation request its methods' grids are searched on.</param>
/// <param name="Description">What it is, for the report.</param>
public sealed record RecipeRequest(string Id, string Forget, RequestRole Role, string? Validation, string? Description);

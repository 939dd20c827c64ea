using Throughline.Timeline;
using Throughline.Web.Pages;

namespace Throughline.Web.ModelApi;

internal static class ModelEndpoints
{
    public static void MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/model", Get)
            .WithName("GetModel")
            .WithSummary("The operating model in force, shaped like the file, with the warnings it was loaded with. Secrets show only the variable they come from and whether it is set.")
            .Produces<ModelDocument>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult Get(TimelineProjection projection, ModelWarnings warnings) =>
        projection.Model is { } model ? TypedResults.Ok(ModelDocument.From(model, warnings.Problems)) : Problems.NoModel();
}

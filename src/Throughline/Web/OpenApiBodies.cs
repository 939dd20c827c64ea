using Microsoft.OpenApi;

namespace Throughline.Web;

/// <summary>Request bodies documented in the OpenAPI document without <c>Accepts()</c>, which would make routing answer other
/// media types with a bare 415: the endpoints answer those themselves, with a problem naming the accepted types.</summary>
internal static class OpenApiBodies
{
    /// <summary>Documents a required request body of <paramref name="mediaTypes"/>, described by <paramref name="description"/>.</summary>
    public static RouteHandlerBuilder WithRequestBody(this RouteHandlerBuilder endpoint, string description, IEnumerable<string> mediaTypes)
    {
        var types = mediaTypes.ToList();
        return endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = types.ToDictionary(type => type, _ => new OpenApiMediaType()),
            };
            return Task.CompletedTask;
        });
    }
}

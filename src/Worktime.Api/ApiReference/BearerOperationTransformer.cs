using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Worktime.Api.ApiReference;

/// <summary>
/// Routes described by their endpoint metadata (any route not generated from the form definitions, e.g. a new
/// feature's) get the bearer requirement and the shared error answers when they require authorization (and an explicit empty
/// requirement when they do not), so every
/// protected route says so without each feature repeating it.
/// </summary>
internal sealed class BearerOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            SharedComponents.Protect(operation, context.Document!);
        }
        else
        {
            operation.Security = []; // said explicitly: this route takes no token
        }
        return Task.CompletedTask;
    }
}

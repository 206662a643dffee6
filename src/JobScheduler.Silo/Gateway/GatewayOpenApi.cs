using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> (the <c>/api/v1</c> endpoints only) and the interactive
/// reference page at <c>/scalar</c> (<c>/openapi</c> redirects there). Both are anonymous.
/// </summary>
public static class GatewayOpenApi
{
    /// <summary>Name of the bearer security scheme in the document.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>Query parameters that carry whole numbers although the endpoints read them as text to validate them.</summary>
    private static readonly HashSet<string> IntegerParameters = ["limit", "count"];

    /// <summary>Registers the document generator.</summary>
    public static IServiceCollection AddGatewayOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "JobScheduler API",
                    Version = "v1",
                    Description = "Schedule one-time and recurring jobs that call HTTP endpoints or in-process handlers. "
                        + "Errors are RFC 9457 problem documents whose 'field' names the invalid input.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A JWT whose sub claim is your user id. Dev mode on loopback accepts requests without a token as user 'dev'.",
                };
                DescribeProblemFields(document);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // The body types have nullable members, so the required ones are listed here, as the validator checks them.
                if (context.JsonTypeInfo.Type == typeof(JobRequest))
                {
                    schema.Required = new HashSet<string>(JobRequest.RequiredFields, StringComparer.Ordinal);
                }

                // The generator reads enum names only from the framework's converter, so the names ExactEnumConverter writes are set here.
                if (context.JsonTypeInfo.Type.IsEnum)
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Enum = [.. ExactEnumConverter.NamesOf(context.JsonTypeInfo.Type).Select(name => (JsonNode)JsonValue.Create(name))];
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                foreach (var parameter in operation.Parameters ?? [])
                {
                    if (parameter is OpenApiParameter concrete && IntegerParameters.Contains(concrete.Name ?? ""))
                    {
                        concrete.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" };
                    }
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>Adds the members every problem of this API may carry to the generated ProblemDetails schema.</summary>
    private static void DescribeProblemFields(OpenApiDocument document)
    {
        if (document.Components?.Schemas?.TryGetValue("ProblemDetails", out var schema) != true || schema is not OpenApiSchema problem)
        {
            return;
        }

        problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
        problem.Properties["field"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The invalid input: a JSON path of the body (target.url), a query parameter, a path parameter or a header.",
        };
        problem.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "The same message keyed by the field.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
    }

    /// <summary>Maps the document, the reference page and the redirect.</summary>
    public static void MapGatewayOpenApi(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi();
        routes.MapScalarApiReference("/scalar", options => options.WithTitle("JobScheduler API"));
        routes.MapGet("/openapi", () => Results.Redirect("/scalar/v1")).ExcludeFromDescription();
    }
}

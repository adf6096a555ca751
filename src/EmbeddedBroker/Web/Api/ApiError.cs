using Microsoft.AspNetCore.Http;

namespace EmbeddedBroker.Web.Api;

/// <summary>The body of every 4xx answer of the API: what is wrong, and which field (null when it is the whole body).</summary>
public sealed record ApiError(string Error, string? Field)
{
    public static IResult BadRequest(string? field, string error) =>
        TypedResults.Json(new ApiError(error, field), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Forbidden(string? field, string error) =>
        TypedResults.Json(new ApiError(error, field), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status403Forbidden);

    public static IResult NotFound(string? field, string error) =>
        TypedResults.Json(new ApiError(error, field), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status404NotFound);

    public static IResult TooLarge(long limit) =>
        TypedResults.Json(new ApiError($"request body is larger than {limit} bytes (Web:Api:MaxRequestBodyBytes)", "body"), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult TimedOut() =>
        TypedResults.Json(new ApiError("request body arrived slower than Web:Requests:MinBodyBytesPerSecond", "body"), WebJsonContext.Default.ApiError, statusCode: StatusCodes.Status408RequestTimeout);
}

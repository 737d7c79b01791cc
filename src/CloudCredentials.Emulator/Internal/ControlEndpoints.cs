using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>
/// The control API under <c>/_emulator</c>: <c>POST /_emulator/faults</c> queues a fault, <c>DELETE /_emulator/faults</c>
/// clears them, <c>GET /_emulator/faults</c> lists pending counts, <c>GET /_emulator/stats</c> returns the counters
/// (secret parameter values redacted), <c>DELETE /_emulator/stats</c> resets them.
/// </summary>
internal sealed class ControlEndpoints(FaultQueue faults, EmulatorStats stats)
{
    public const string Prefix = "/_emulator";
    public const string FaultsPath = Prefix + "/faults";
    public const string StatsPath = Prefix + "/stats";

    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Signature", "SecurityToken", "OIDCToken", "AccessKeySecret", "WebIdentityToken",
    };

    public async Task HandleAsync(HttpContext context, string path)
    {
        string method = context.Request.Method;
        if (string.Equals(path, FaultsPath, StringComparison.Ordinal))
        {
            if (HttpMethods.IsPost(method))
            {
                await AddFaultAsync(context).ConfigureAwait(false);
            }
            else if (HttpMethods.IsDelete(method))
            {
                faults.Clear();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            else if (HttpMethods.IsGet(method))
            {
                var pending = new JsonObject();
                foreach (EmulatorService service in Enum.GetValues<EmulatorService>())
                {
                    pending[service.ToString()] = faults.Pending(service);
                }

                await Responses.WriteJsonAsync(context, 200, pending).ConfigureAwait(false);
            }
            else
            {
                await Responses.WriteMethodNotAllowedAsync(context, "GET, POST, DELETE").ConfigureAwait(false);
            }
        }
        else if (string.Equals(path, StatsPath, StringComparison.Ordinal))
        {
            if (HttpMethods.IsGet(method))
            {
                await Responses.WriteJsonAsync(context, 200, StatsJson()).ConfigureAwait(false);
            }
            else if (HttpMethods.IsDelete(method))
            {
                stats.Reset();
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            else
            {
                await Responses.WriteMethodNotAllowedAsync(context, "GET, DELETE").ConfigureAwait(false);
            }
        }
        else
        {
            await Responses.WriteTextAsync(context, 404, "Unknown control endpoint. Use " + FaultsPath + " or " + StatsPath + ".").ConfigureAwait(false);
        }
    }

    /// <summary>Parses a control-API fault request; returns the error text, or <see langword="null"/> on success.</summary>
    internal static string? TryParseFault(JsonNode? json, out EmulatorService service, out EmulatorFault? fault, out int count)
    {
        service = default;
        fault = null;
        count = 1;
        if (json is not JsonObject obj)
        {
            return "The body must be a JSON object such as {\"service\":\"Sts\",\"status\":503,\"count\":2}.";
        }

        try
        {
            string? serviceName = obj["service"]?.GetValue<string>();
            if (string.IsNullOrEmpty(serviceName) || !Enum.TryParse(serviceName, ignoreCase: true, out service) || !Enum.IsDefined(service)
                || int.TryParse(serviceName, out _))
            {
                return "\"service\" must be one of: " + string.Join(", ", Enum.GetNames<EmulatorService>()) + ".";
            }

            count = obj["count"]?.GetValue<int>() ?? 1;
            if (count < 1)
            {
                return "\"count\" must be at least 1.";
            }

            string? kind = obj["kind"]?.GetValue<string>();
            int? status = obj["status"]?.GetValue<int>();
            string? body = obj["body"]?.GetValue<string>();
            string contentType = obj["contentType"]?.GetValue<string>() ?? "application/json";
            int? delayMs = obj["delayMs"]?.GetValue<int>();
            string? code = obj["code"]?.GetValue<string>();
            string? message = obj["message"]?.GetValue<string>();

            bool aws = service.ToString().StartsWith("Aws", StringComparison.Ordinal);
            kind ??= delayMs is not null ? "delay" : code is not null ? (aws ? "awsError" : "stsError") : status is not null ? "status" : null;
            switch (kind?.ToUpperInvariant())
            {
                case "STATUS" when status is { } s:
                    fault = EmulatorFault.Status(s, body, contentType);
                    break;
                case "DELAY" when delayMs is { } ms && ms >= 0:
                    fault = EmulatorFault.Delay(TimeSpan.FromMilliseconds(ms));
                    break;
                case "GARBAGE":
                    fault = body is null ? EmulatorFault.Garbage() : EmulatorFault.Garbage(body);
                    break;
                case "STSERROR" when code is not null:
                    fault = EmulatorFault.StsError(status ?? 400, code, message ?? string.Empty);
                    break;
                case "AWSERROR" when code is not null:
                    fault = EmulatorFault.AwsError(status ?? 400, code, message ?? string.Empty);
                    break;
                case "DROP":
                    fault = EmulatorFault.Drop();
                    break;
                default:
                    return "Give \"kind\" (status, delay, garbage, stsError, awsError, drop) with its fields: status [+ body, contentType], delayMs, body, code + message [+ status], or nothing.";
            }

            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            return "A field has the wrong type or value: " + ex.Message;
        }
    }

    private async Task AddFaultAsync(HttpContext context)
    {
        JsonNode? json;
        try
        {
            json = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            json = null;
        }

        string? error = TryParseFault(json, out EmulatorService service, out EmulatorFault? fault, out int count);
        if (error is not null)
        {
            await Responses.WriteJsonAsync(context, 400, new JsonObject { ["error"] = error }).ConfigureAwait(false);
            return;
        }

        faults.Add(service, fault!, count);
        var answer = new JsonObject
        {
            ["service"] = service.ToString(),
            ["fault"] = fault!.ToString(),
            ["count"] = count,
            ["pending"] = faults.Pending(service),
        };
        await Responses.WriteJsonAsync(context, 200, answer).ConfigureAwait(false);
    }

    private JsonObject StatsJson()
    {
        var json = new JsonObject
        {
            ["tokenPuts"] = stats.TokenPuts,
            ["lastTokenTtlSeconds"] = stats.LastTokenTtlSeconds,
            ["metadataGets"] = stats.MetadataGets,
            ["metadataGetsWithToken"] = stats.MetadataGetsWithToken,
            ["metadataGetsWithoutToken"] = stats.MetadataGetsWithoutToken,
            ["roleListGets"] = stats.RoleListGets,
            ["metadataCredentialsGets"] = stats.MetadataCredentialsGets,
            ["metadataTokenRejections"] = stats.MetadataTokenRejections,
            ["stsRequests"] = stats.StsRequests,
            ["stsAssumeRole"] = stats.StsAssumeRole,
            ["stsAssumeRoleWithOidc"] = stats.StsAssumeRoleWithOidc,
            ["stsErrors"] = stats.StsErrors,
            ["signatureFailures"] = stats.SignatureFailures,
            ["lastStsErrorCode"] = stats.LastStsErrorCode,
            ["credentialsUriGets"] = stats.CredentialsUriGets,
            ["faultsServed"] = stats.FaultsServed,
            ["credentialsIssued"] = stats.CredentialsIssued,
            ["stsGetCallerIdentity"] = stats.StsGetCallerIdentity,
            ["roaEchoRequests"] = stats.RoaEchoRequests,
            ["aws"] = AwsStatsJson(stats.Aws),
        };

        if (stats.LastStsRecord is { } last)
        {
            json["lastSts"] = new JsonObject
            {
                ["method"] = last.Method,
                ["action"] = last.Action,
                ["contentType"] = last.ContentType,
                ["query"] = Redacted(last.Query),
                ["form"] = Redacted(last.Form),
            };
        }

        return json;
    }

    private static JsonObject AwsStatsJson(AwsEmulatorStats aws) => new()
    {
        ["imdsTokenPuts"] = aws.ImdsTokenPuts,
        ["lastImdsTokenTtlSeconds"] = aws.LastImdsTokenTtlSeconds,
        ["imdsRoleListGets"] = aws.ImdsRoleListGets,
        ["imdsCredentialsGets"] = aws.ImdsCredentialsGets,
        ["imdsGetsWithoutToken"] = aws.ImdsGetsWithoutToken,
        ["imdsUnauthorized"] = aws.ImdsUnauthorized,
        ["containerGets"] = aws.ContainerGets,
        ["containerRejections"] = aws.ContainerRejections,
        ["stsRequests"] = aws.StsRequests,
        ["stsAssumeRole"] = aws.StsAssumeRole,
        ["stsAssumeRoleWithWebIdentity"] = aws.StsAssumeRoleWithWebIdentity,
        ["stsGetCallerIdentity"] = aws.StsGetCallerIdentity,
        ["stsErrors"] = aws.StsErrors,
        ["signatureFailures"] = aws.SignatureFailures,
        ["lastStsAction"] = aws.LastStsAction,
        ["lastStsErrorCode"] = aws.LastStsErrorCode,
        ["credentialsIssued"] = aws.CredentialsIssued,
    };

    private static JsonObject Redacted(IReadOnlyDictionary<string, string> parameters)
    {
        var json = new JsonObject();
        foreach (KeyValuePair<string, string> pair in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json[pair.Key] = SecretParameters.Contains(pair.Key) ? "<redacted>" : pair.Value;
        }

        return json;
    }
}

using CloudCredentials.Emulator.Internal.Aws;
using Microsoft.AspNetCore.Http;

namespace CloudCredentials.Emulator.Internal;

/// <summary>Plays the next queued fault of a service, if any, and counts it.</summary>
internal sealed class FaultPlayer(FaultQueue faults, EmulatorStats stats, CancellationToken stopping)
{
    /// <summary>Plays the next queued fault for <paramref name="service"/>; true when the response is finished (or dropped).</summary>
    public async Task<bool> TryPlayAsync(HttpContext context, EmulatorService service)
    {
        if (faults.TryTake(service) is not { } fault)
        {
            return false;
        }

        stats.OnFaultServed();
        switch (fault.Kind)
        {
            case EmulatorFaultKind.Delay:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    await Task.Delay(fault.DelayTime, linked.Token).ConfigureAwait(false);
                }

                return false;
            case EmulatorFaultKind.Drop:
                context.Abort();
                return true;
            case EmulatorFaultKind.StsError:
                await PopError.WriteAsync(context, fault.StatusCode, fault.ErrorCode!, fault.ErrorMessage!).ConfigureAwait(false);
                return true;
            case EmulatorFaultKind.AwsError:
                await AwsXml.WriteErrorAsync(context, fault.StatusCode, fault.ErrorCode!, fault.ErrorMessage!).ConfigureAwait(false);
                return true;
            default:
                await Responses.WriteTextAsync(context, fault.StatusCode, fault.Body ?? string.Empty, fault.ContentType).ConfigureAwait(false);
                return true;
        }
    }
}

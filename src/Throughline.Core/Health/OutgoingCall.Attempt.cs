using System.Net.Http.Headers;

namespace Throughline.Health;

public sealed partial class OutgoingCall
{
    private async Task<Outcome> AttemptAsync(
        HttpMessageInvoker invoker, Uri url, ReadOnlyMemory<byte> body, string? signature, OutgoingCallOptions options,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("User-Agent", "Throughline");
        request.Headers.Add(IdempotencyKeyHeader, options.IdempotencyKey);
        request.Headers.Add(DeliveryHeader, Guid.CreateVersion7(_time.GetUtcNow()).ToString());
        if (signature is not null)
        {
            request.Headers.Add(SignatureHeader, signature);
        }

        using var timeout = new CancellationTokenSource(options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await invoker.SendAsync(request, linked.Token);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => new(true, status, "", false),
                >= 300 and < 400 => new(false, status, $"answered {status}, a redirect to "
                    + (response.Headers.Location is { } location ? Name(new Uri(url, location)) : "nowhere (no Location)")
                    + ", which is not followed: call the final URL", false),
                >= 500 or 408 or 429 => new(false, status, $"answered {status}", true, RetryAfter(response.Headers.RetryAfter)),
                _ => new(false, status, $"answered {status}, which is not retried", false),
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new(false, null, $"timed out after {options.Timeout.TotalSeconds:0.###} s", true);
        }
        catch (HttpRequestException exception) when (Find<InternalAddressRefusedException>(exception) is { } refused)
        {
            return new(false, null, refused.Message, false, Refused: refused);
        }
        catch (HttpRequestException exception)
        {
            return new(false, null, Describe(exception), true);
        }
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) =>
        header?.Delta ?? (header?.Date is { } date ? date - _time.GetUtcNow() : null);

    private static string Describe(HttpRequestException exception)
    {
        Exception innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        var what = exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "could not resolve the host",
            HttpRequestError.ConnectionError => "could not connect",
            HttpRequestError.SecureConnectionError => "could not set up TLS",
            _ => "failed",
        };
        return ReferenceEquals(innermost, exception) ? $"{what}: {exception.Message}" : $"{what}: {innermost.Message}";
    }

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private readonly record struct Outcome(
        bool Succeeded, int? Status, string Error, bool Transient, TimeSpan? RetryAfter = null,
        InternalAddressRefusedException? Refused = null);
}

using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace WebhookProcessor.AzureRest.ServiceBus;

/// <summary>Turns a refused send into a <see cref="ServiceBusRequestException"/> that says what to fix.</summary>
internal static partial class ServiceBusErrors
{
    private const int MaxDetailLength = 300;

    public static ServiceBusRequestException FromResponse(int status, string? body, string entity, int attempts)
    {
        var (code, detail) = ReadBody(body);
        var transient = ServiceBusResponseClassifier.IsTransient(status);
        var advice = status switch
        {
            400 => "The request was malformed: check the broker and application properties (MessageId and SessionId at most 128 characters).",
            401 => "The credentials were refused: check the SAS key name and key (and this machine's clock), or for Microsoft Entra that the token is for https://servicebus.azure.net; the namespace may also have local (SAS) authentication disabled.",
            403 => $"Access denied or over a limit: the identity lacks the Azure Service Bus Data Sender role on the namespace or queue '{entity}', the SAS rule lacks the Send right, the namespace quota is exceeded, or the message is larger than the entity allows.",
            404 => $"The namespace or the queue '{entity}' does not exist: check the namespace host name and the queue name.",
            410 => $"The queue '{entity}' does not exist (or was deleted): create it or fix the queue name.",
            413 => "The request is larger than the entity allows: lower MaxBatchBytes.",
            _ when transient => $"Service Bus is throttling or unavailable; gave up after {attempts} attempt(s).",
            _ => "Service Bus refused the request.",
        };
        var message = $"Service Bus answered {status} to a send to '{entity}'. {advice}"
            + (code is null ? string.Empty : $" Error code: {code}.")
            + (detail is null ? string.Empty : $" Detail: {detail}");
        return new ServiceBusRequestException(status, message, code, transient);
    }

    public static ServiceBusRequestException FromException(Exception exception, string entity, int attempts) =>
        new(0, $"No answer from Service Bus for a send to '{entity}' after {attempts} attempt(s): {exception.GetType().Name}: {Scrub(exception.Message)}", null, isTransient: true, exception);

    /// <summary>Service Bus errors look like <c>&lt;Error&gt;&lt;Code&gt;401&lt;/Code&gt;&lt;Detail&gt;ExpiredToken: …&lt;/Detail&gt;&lt;/Error&gt;</c>.</summary>
    private static (string? Code, string? Detail) ReadBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            var root = XElement.Parse(body);
            var detail = root.Element("Detail")?.Value;
            // The numeric <Code> repeats the status; the reason ("ExpiredToken", "SubCode=40400") leads the detail.
            var reason = detail is null ? null : ReasonPrefix().Match(detail) is { Success: true } m ? m.Groups[1].Value : null;
            return (reason ?? root.Element("Code")?.Value, detail is null ? null : Shorten(Scrub(detail)));
        }
        catch (System.Xml.XmlException)
        {
            return (null, Shorten(Scrub(body)));
        }
    }

    /// <summary>Never let a token or signature that a server or proxy echoed reach a log.</summary>
    internal static string Scrub(string text) => Secrets().Replace(text, "$1***");

    private static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxDetailLength ? trimmed : trimmed[..MaxDetailLength] + "…";
    }

    [GeneratedRegex(@"^\s*([A-Za-z]+|SubCode=\d+)\s*[:.]")]
    private static partial Regex ReasonPrefix();

    [GeneratedRegex(@"(SharedAccessSignature\s+|Bearer\s+|sig=|SharedAccessKey=)[^\s&;""<]+", RegexOptions.IgnoreCase)]
    private static partial Regex Secrets();
}

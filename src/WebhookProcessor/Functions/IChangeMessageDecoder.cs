using WebhookProcessor.Queue;

namespace WebhookProcessor.Functions;

/// <summary>
/// Turns the text of a queued Service Bus message back into a <see cref="ChangeMessage"/>; the
/// counterpart of whatever encoded it on the sending side. Throws when the text is not one.
/// </summary>
public interface IChangeMessageDecoder
{
    ChangeMessage Decode(string text);

    /// <summary>Adapts a plain function (such as a codec's <c>Decode</c>) to this seam.</summary>
    public static IChangeMessageDecoder From(Func<string, ChangeMessage> decode) => new DelegateDecoder(decode);

    private sealed class DelegateDecoder(Func<string, ChangeMessage> decode) : IChangeMessageDecoder
    {
        public ChangeMessage Decode(string text) => decode(text);
    }
}

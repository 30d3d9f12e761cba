namespace WebhookProcessor.Benchmarks;

/// <summary>
/// Counts the spans in an OTLP <c>ExportTraceServiceRequest</c> from the protobuf framing alone, with no
/// generated code: request.resource_spans (field 1) → scope_spans (field 2) → spans (field 2). Enough to
/// tell whether every request's spans reached the sink or the exporter dropped some.
/// </summary>
internal static class OtlpSpanCounter
{
    private const int LengthDelimited = 2;

    public static long Count(ReadOnlySpan<byte> request)
    {
        long spans = 0;
        foreach (var resourceSpans in Fields(request, 1))
        {
            foreach (var scopeSpans in Fields(request.Slice(resourceSpans.Start, resourceSpans.Length), 2))
            {
                spans += Fields(request.Slice(resourceSpans.Start, resourceSpans.Length).Slice(scopeSpans.Start, scopeSpans.Length), 2).Count;
            }
        }

        return spans;
    }

    /// <summary>Where each length-delimited field numbered <paramref name="number"/> lies in <paramref name="message"/>.</summary>
    private static List<(int Start, int Length)> Fields(ReadOnlySpan<byte> message, int number)
    {
        var found = new List<(int, int)>();
        var at = 0;
        while (at < message.Length)
        {
            var tag = Varint(message, ref at);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0: Varint(message, ref at); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case LengthDelimited:
                    var length = checked((int)Varint(message, ref at));
                    if ((int)(tag >> 3) == number)
                    {
                        found.Add((at, length));
                    }

                    at += length;
                    break;
                default: throw new FormatException($"Unexpected protobuf wire type {wireType} in a trace export.");
            }
        }

        if (at != message.Length)
        {
            throw new FormatException("A trace export's protobuf framing ran past its end.");
        }

        return found;
    }

    private static ulong Varint(ReadOnlySpan<byte> message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("A protobuf varint is longer than 10 bytes.");
    }
}

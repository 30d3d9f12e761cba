using System.Globalization;

namespace WebhookProcessor.Azure;

/// <summary>An entity would not fit Table Storage's 1 MiB limit even with its large values split into chunks.</summary>
public sealed class TableEntityTooLargeException(long sizeBytes)
    : InvalidOperationException(string.Create(
        CultureInfo.InvariantCulture,
        $"The entity would be about {sizeBytes} bytes; Table Storage allows {TableLargeProperty.MaxEntityBytes} bytes per entity. Store the value elsewhere (a blob) or compress it."))
{
    public long SizeBytes { get; } = sizeBytes;
}

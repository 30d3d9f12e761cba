using System.Text.Json;
using WebhookProcessor.Storage;

namespace WebhookProcessor.Ops;

/// <summary>
/// Bounds a list response by size as well as by count: items are added while the page's serialized
/// items stay within the byte budget. The first item is always kept, so a page can never be empty while
/// more remain, and the next cursor then points right after the last item kept.
/// </summary>
internal static class PageBudget
{
    public static async Task<PageDto<TDto>> TakeAsync<TItem, TDto>(
        Page<TItem> page,
        Func<TItem, CancellationToken, ValueTask<TDto>> toDto,
        long maxBytes,
        JsonSerializerOptions json,
        CancellationToken cancellationToken)
    {
        var items = new List<TDto>(page.Items.Count);
        long used = 0;
        for (var i = 0; i < page.Items.Count; i++)
        {
            var dto = await toDto(page.Items[i], cancellationToken);
            var size = Measure(dto, json);
            if (items.Count > 0 && used + size > maxBytes)
            {
                // Stores that page by keyset give each item's own cursor; without one the whole page is kept.
                if (page.ItemCursors is { } cursors)
                {
                    return new PageDto<TDto>(items, cursors[i - 1]);
                }
            }

            items.Add(dto);
            used += size + 1;
        }

        return new PageDto<TDto>(items, page.NextCursor);
    }

    /// <summary>The item's serialized length, counted without keeping the bytes.</summary>
    private static long Measure<TDto>(TDto dto, JsonSerializerOptions json)
    {
        using var counter = new CountingStream();
        JsonSerializer.Serialize(counter, dto, json);
        return counter.Length;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

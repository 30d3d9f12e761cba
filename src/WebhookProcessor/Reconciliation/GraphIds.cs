namespace WebhookProcessor.Reconciliation;

/// <summary>Graph API ids (accounts, templates): decimal digits that fit a <see cref="long"/>.</summary>
public static class GraphIds
{
    public static bool IsId(string? value) => TryParse(value, out _);

    public static bool TryParse(string? value, out long id)
    {
        id = 0;
        return value is { Length: > 0 and <= 19 }
            && value.All(char.IsAsciiDigit)
            && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out id)
            && id > 0;
    }
}

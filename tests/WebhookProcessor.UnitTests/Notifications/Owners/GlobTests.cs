using WebhookProcessor.Notifications;

namespace WebhookProcessor.UnitTests.Notifications;

public sealed class GlobTests
{
    [Theory]
    [InlineData("payment_*", "payment_reminder_v4", true)]
    [InlineData("payment_*", "Payment_Reminder", true)]
    [InlineData("payment_*", "order_payment_x", false)]
    [InlineData("*_v?", "payment_reminder_v4", true)]
    [InlineData("*_v?", "payment_reminder_v40", false)]
    [InlineData("pay*rem*v4", "payment_reminder_v4", true)]
    [InlineData("pay*rem*v4", "payment_v4_reminder", false)]
    [InlineData("a*a", "a", false)]
    [InlineData("a*a", "aa", true)]
    [InlineData("*", "", true)]
    [InlineData("?", "", false)]
    [InlineData("", "", true)]
    [InlineData("**x**", "x", true)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    [InlineData("*?b?*", "abba", true)]
    public void IsMatch_Examples_MatchAsDocumented(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Glob.IsMatch(pattern, text));

    [Fact]
    public void IsMatch_RandomPatternsAndNames_AgreeWithAReferenceMatcher()
    {
        // A small alphabet makes stars, question marks and repeated letters collide often.
        var random = new Random(20261130);
        for (var i = 0; i < 20_000; i++)
        {
            var pattern = RandomString(random, random.Next(0, 9), "ab*?");
            var text = RandomString(random, random.Next(0, 12), "abAB");
            Assert.True(Reference(pattern, text) == Glob.IsMatch(pattern, text), $"pattern '{pattern}', name '{text}'");
        }
    }

    [Fact]
    public void IsMatch_LongestPatternAgainstLongestName_GivesTheRightAnswer()
    {
        // The shape that made a backtracking matcher slow: many stars, a last piece that never matches.
        var pattern = string.Concat(Enumerable.Repeat("*a", (Glob.MaxPatternLength / 2) - 1)) + "*b";
        var name = new string('a', 512);

        Assert.Equal(Glob.MaxPatternLength, pattern.Length);
        Assert.False(Glob.IsMatch(pattern, name));
        Assert.True(Glob.IsMatch(pattern, name + "b"));
    }

    private static string RandomString(Random random, int length, string alphabet) =>
        new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

    /// <summary>Dynamic programming over every prefix pair: obviously right, and too slow for the service.</summary>
    private static bool Reference(string pattern, string text)
    {
        var match = new bool[pattern.Length + 1, text.Length + 1];
        match[0, 0] = true;
        for (var p = 1; p <= pattern.Length; p++)
        {
            for (var t = 0; t <= text.Length; t++)
            {
                var c = pattern[p - 1];
                match[p, t] = c == '*'
                    ? match[p - 1, t] || (t > 0 && match[p, t - 1])
                    : t > 0 && match[p - 1, t - 1] && (c == '?' || char.ToLowerInvariant(c) == char.ToLowerInvariant(text[t - 1]));
            }
        }

        return match[pattern.Length, text.Length];
    }
}

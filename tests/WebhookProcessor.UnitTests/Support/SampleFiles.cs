namespace WebhookProcessor.UnitTests.Support;

/// <summary>Reads the Meta sample payloads copied next to the test assembly.</summary>
internal static class SampleFiles
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", "meta", name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static string Text(string name) => File.ReadAllText(PathOf(name));
}

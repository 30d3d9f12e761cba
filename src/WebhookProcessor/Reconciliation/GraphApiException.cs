namespace WebhookProcessor.Reconciliation;

/// <summary>
/// A Graph API call that failed after the retries it deserved. The message names the account, Meta's
/// code and <c>fbtrace_id</c> (what Meta support asks for) and, for <see cref="GraphApiErrorKind.Authentication"/>,
/// the setting to fix; it never contains the access token.
/// </summary>
public sealed class GraphApiException : Exception
{
    public GraphApiException()
    {
    }

    public GraphApiException(string message)
        : base(message)
    {
    }

    public GraphApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public GraphApiException(GraphApiErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public GraphApiErrorKind Kind { get; init; } = GraphApiErrorKind.Other;

    /// <summary>The HTTP status, when Meta answered.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Meta's <c>error.code</c>, when the answer had one.</summary>
    public int? Code { get; init; }

    /// <summary>Meta's <c>error.error_subcode</c>, when the answer had one.</summary>
    public int? Subcode { get; init; }

    /// <summary>Meta's <c>error.fbtrace_id</c>, when the answer had one.</summary>
    public string? FbTraceId { get; init; }

    /// <summary>For <see cref="GraphApiErrorKind.Throttled"/>: how long to leave the account alone.</summary>
    public TimeSpan? SuggestedWait { get; init; }
}

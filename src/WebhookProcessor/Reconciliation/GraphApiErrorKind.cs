namespace WebhookProcessor.Reconciliation;

/// <summary>What a failed Graph API call means for the caller.</summary>
public enum GraphApiErrorKind
{
    /// <summary>Anything else: a bad request, an unexpected answer. Retrying the same call will not help.</summary>
    Other,

    /// <summary>The token is invalid, expired or lacks the permission: an operator must fix Meta:GraphApi:AccessToken. Never retried.</summary>
    Authentication,

    /// <summary>Meta asks us to slow down; <see cref="GraphApiException.SuggestedWait"/> says for how long. Move on to other accounts.</summary>
    Throttled,

    /// <summary>Meta failed (5xx), did not answer in time, or could not be reached; retried already, worth trying again later.</summary>
    Transient,
}

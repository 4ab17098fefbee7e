class DeliveryError(Exception):
    """A send that did not succeed; `retryable` says whether a later attempt may."""

    retryable = True

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class RetryableError(DeliveryError):
    retryable = True


class PermanentError(DeliveryError):
    """Retrying would get the same answer (a malformed address, a 4xx that is not 408/429)."""

    retryable = False


class EndpointGone(PermanentError):
    """The receiver says this subscription no longer exists (webhook 410, push 404/410)."""


def error_for_status(status: int, detail: str) -> DeliveryError:
    """The usual reading of an HTTP failure status by webhook and push senders."""
    message = f"HTTP {status}: {detail}"[:500]
    if status in (408, 425, 429) or status >= 500:
        return RetryableError(message, status=status)
    return PermanentError(message, status=status)

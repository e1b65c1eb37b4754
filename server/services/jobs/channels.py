"""Where messages go: an SMS gateway over HTTP, or the log (the default).

A channel's ``send`` returns normally when the message was accepted, and raises
``Undelivered`` when it should be tried again later (down, refused, too slow).
"""

import http.client
import json
import logging
import urllib.error
import urllib.request

log = logging.getLogger("spire.messages")


class Undelivered(Exception):
    pass


def masked(phone: str | None) -> str:
    """A number as logs may show it: only the last two digits."""
    return f"***{phone[-2:]}" if phone else "-"


class LogChannel:
    """Writes that a message was sent, never what it said (no personal data in logs)."""

    name = "log"

    def send(self, message_id: str, recipient: str | None, text: str) -> None:
        log.info("message %s to %s (%d characters)", message_id, masked(recipient), len(text))


class HttpSmsChannel:
    """POSTs ``{to, from, text, reference}`` as JSON with a bearer token. The reference and
    the Idempotency-Key header carry the message id, so a gateway can refuse a repeat."""

    name = "sms"

    def __init__(self, url: str, token: str, sender: str, timeout: float = 5.0):
        self.url, self.token, self.sender, self.timeout = url, token, sender, timeout

    def send(self, message_id: str, recipient: str | None, text: str) -> None:
        body = json.dumps(
            {"to": recipient, "from": self.sender, "text": text, "reference": message_id}
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": message_id,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                if response.status >= 300:
                    raise Undelivered(f"gateway answered {response.status}")
        except urllib.error.HTTPError as error:
            raise Undelivered(f"gateway answered {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise Undelivered(f"gateway unreachable: {type(error).__name__}") from None
        except (http.client.HTTPException, ValueError) as error:
            # A garbled answer, or a URL that is not one.
            raise Undelivered(f"gateway unusable: {type(error).__name__}") from None


def sms_channel(config: dict):
    if config.get("SPIRE_SMS_URL"):
        return HttpSmsChannel(
            config["SPIRE_SMS_URL"],
            config.get("SPIRE_SMS_TOKEN") or "",
            config.get("SPIRE_SMS_SENDER") or "Spire",
            timeout=config.get("SPIRE_SMS_TIMEOUT", 5.0),
        )
    return LogChannel()

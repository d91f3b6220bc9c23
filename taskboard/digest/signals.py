"""What the digest announces; followup subscribes and writes the outbox in the same transaction."""
from blinker import Namespace

_signals = Namespace()

# A leader's week has something to report: sender is the User, ``week`` the ISO week
# ("2022-W24"). A receiver returns the id of the outbox row it made, or None when the week's
# digest was owed already.
digest_ready = _signals.signal("digest-ready")

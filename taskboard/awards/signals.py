"""What the awards announce; followup subscribes and writes the outbox in the same transaction.

Both are sent with the AwardMonth as sender and ``audience``, the users to tell.
"""
from blinker import Namespace

_signals = Namespace()

# A month's draft is computed: the office is to review it.
awards_computed = _signals.signal("awards-computed")
# A month is published: the leaders and the units ranked hear the result.
awards_published = _signals.signal("awards-published")

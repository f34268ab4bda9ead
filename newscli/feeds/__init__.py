"""Feed subscriptions: fetch politely (http), read RSS/Atom/JSON Feed (parse), decide when to
look again (schedule), turn entries into articles (entries), remember (subscriptions), and the
update use case that ties them (update); OPML in and out (opml).

Nothing here knows of Click or Rich; the `feed` commands are thin views over `update`.
"""

from __future__ import annotations

from newscli.errors import NewscliError


class FeedError(NewscliError):
    """A feed could not be fetched, read or stored; the message names the feed."""

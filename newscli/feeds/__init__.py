"""Feed subscriptions: fetch politely (http), read RSS/Atom/JSON Feed (parse), decide when to
look again (schedule), turn entries into articles (entries), remember (subscriptions), and the
update use case that ties them (update); OPML in and out (opml).

Nothing here knows of Click or Rich; the `feed` commands are thin views over `update`.
"""

from __future__ import annotations

from newscli.errors import NewscliError

# The update's settings the `feed` commands' options show: here rather than in `poll`, so
# that those options (and `newscli --help`) do not import the poller and the article model.
# DEFAULT_JOBS is the requests in flight. One per host already keeps each site's load to
# what a browser tab costs; 8 hosts at once keeps a small machine responsive and an update
# of a few hundred feeds well under a minute.
DEFAULT_JOBS = 8
MAX_JOBS = 32
FULL_TEXT_MODES = ("auto", "always", "never")


class FeedError(NewscliError):
    """A feed could not be fetched, read or stored; the message names the feed."""

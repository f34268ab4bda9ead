"""`newscli browse`: the interactive reader, built with Textual.

Nothing outside this package (and the `browse` command that starts it) imports Textual, so
the other commands never pay for it. The browser holds no logic of its own: every action
calls a use case of `newscli.service.Library` that a CLI command also calls.
"""

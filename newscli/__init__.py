"""newscli: read, list, search and import news articles kept in a local folder."""

__version__ = "0.1.0"

"""Where things live: the store, the config file, the cache; and the few settings."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

APP = "newscli"
DEFAULT_MAX_ARTICLE_BYTES = 10 * 1024 * 1024


def config_file() -> Path:
    if os.environ.get("NEWSCLI_CONFIG"):
        return Path(os.environ["NEWSCLI_CONFIG"])
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP)) / "config.toml"


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP))


def read_config() -> dict[str, object]:
    """The config file's settings ({} when there is none); a broken file is an error."""
    path = config_file()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        from newscli.errors import NewscliError

        raise NewscliError(f"cannot read config file {path}: {exc.strerror}") from None
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8", "replace"))
    except tomllib.TOMLDecodeError as exc:
        from newscli.errors import NewscliError

        raise NewscliError(f"config file {path} is not valid TOML: {exc}") from None


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


# The keys a config file may hold: a check of the value, and what it must be.
KEYS: dict[str, tuple[Callable[[object], bool], str]] = {
    "store": (lambda value: isinstance(value, str) and bool(value), "a folder path (a string)"),
    "max_article_bytes": (_positive_int, "a whole number of bytes above 0"),
    "mark_read": (lambda value: isinstance(value, bool), "true or false"),
}


class Settings:
    """The store in use and the limits; the config file is read only if something needs it
    (a command with --store or $NEWSCLI_STORE and $NEWSCLI_MAX_ARTICLE_BYTES reads none)."""

    def __init__(self, store_option: str | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.store_option = store_option
        self.warn = warn or (lambda message: None)

    @cached_property
    def config(self) -> dict[str, object]:
        """The config file's settings; unknown keys, values of the wrong kind and a
        $NEWSCLI_CONFIG that names no file are warned about (and not used)."""
        path = config_file()
        if os.environ.get("NEWSCLI_CONFIG") and not path.exists():
            self.warn(f"config file {path} (from $NEWSCLI_CONFIG) does not exist; "
                      "using the defaults")
            return {}
        data = read_config()
        checked: dict[str, object] = {}
        for key, value in data.items():
            check = KEYS.get(key)
            if check is None:
                import difflib

                close = difflib.get_close_matches(key, list(KEYS), n=1)
                guess = f" (did you mean '{close[0]}'?)" if close else ""
                self.warn(f"config file {path}: unknown key '{key}'{guess}; ignored")
            elif not check[0](value):
                self.warn(f"config file {path}: {key} must be {check[1]}; ignored")
            else:
                checked[key] = value
        return checked

    @cached_property
    def store(self) -> Path:
        """--store, else $NEWSCLI_STORE, else `store` in the config file, else ./articles
        when it exists, else the user data dir."""
        chosen = self.store_option or os.environ.get("NEWSCLI_STORE")
        if chosen:
            return Path(chosen).expanduser()
        if isinstance(self.config.get("store"), str):
            return Path(str(self.config["store"])).expanduser()
        if Path("articles").is_dir():
            return Path("articles")
        from platformdirs import user_data_dir

        return Path(user_data_dir(APP)) / "articles"

    @cached_property
    def max_article_bytes(self) -> int:
        env = os.environ.get("NEWSCLI_MAX_ARTICLE_BYTES", "")
        if env and not env.isdigit():
            self.warn(f"NEWSCLI_MAX_ARTICLE_BYTES={env!r} is not a number of bytes; ignored")
        value: object = int(env) if env.isdigit() else self.config.get("max_article_bytes")
        if _positive_int(value):
            return int(value)  # type: ignore[call-overload]
        return DEFAULT_MAX_ARTICLE_BYTES

    @cached_property
    def mark_read(self) -> bool:
        """Whether reading an article marks it read (`mark_read = false` turns that off)."""
        value = self.config.get("mark_read", True)
        return value if isinstance(value, bool) else True

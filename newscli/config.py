"""Where things live: the store, the config file, the cache; and the few settings."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

APP = "newscli"
DEFAULT_MAX_ARTICLE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    store: Path
    store_origin: str  # which rule chose the store, for messages
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES


def config_file() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("NEWSCLI_CONFIG") or Path(user_config_dir(APP)) / "config.toml")


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP))


def _read_config() -> dict[str, object]:
    path = config_file()
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        from newscli.errors import NewscliError

        raise NewscliError(f"cannot read config file {path}: {exc}") from None


def load(store_option: str | None = None) -> Settings:
    """Resolve the store: --store, else $NEWSCLI_STORE, else `store` in the config file,
    else ./articles when it exists, else the user data dir."""
    config = _read_config()
    limit = config.get("max_article_bytes", DEFAULT_MAX_ARTICLE_BYTES)
    env_limit = os.environ.get("NEWSCLI_MAX_ARTICLE_BYTES")
    if env_limit and env_limit.isdigit():
        limit = int(env_limit)
    max_bytes = limit if isinstance(limit, int) and limit > 0 else DEFAULT_MAX_ARTICLE_BYTES
    if store_option:
        return Settings(Path(store_option).expanduser(), "--store", max_bytes)
    if os.environ.get("NEWSCLI_STORE"):
        return Settings(Path(os.environ["NEWSCLI_STORE"]).expanduser(), "NEWSCLI_STORE", max_bytes)
    if isinstance(config.get("store"), str):
        return Settings(Path(str(config["store"])).expanduser(), str(config_file()), max_bytes)
    if Path("articles").is_dir():
        return Settings(Path("articles"), "./articles", max_bytes)
    from platformdirs import user_data_dir

    return Settings(Path(user_data_dir(APP)) / "articles", "user data dir", max_bytes)

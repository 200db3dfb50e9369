"""Settings: one pydantic-settings class, built once at the entry point and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDERS = {"changeme", "change-me", "changethis", "xxx", "secret", "token", "your-token-here"}


class Settings(BaseSettings):
    """Everything configurable about a kam-agent process. Environment prefix: ``KAM_``."""

    model_config = SettingsConfigDict(env_prefix="KAM_", env_file=None, extra="ignore")

    env: str = Field("dev", description="dev | test | prod; prod refuses placeholder secrets")
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".kam")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default: SQLite file in data_dir")
    sqlite_busy_timeout_ms: int = 30_000

    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_prefix: str = Field("kam", description="prefix of the Chroma collection names (one per deployment)")

    embedder: str = Field("wordllama", description="wordllama | openai")
    embedding_base_url: str | None = None
    embedding_model: str = "text-embedding-3-small"
    embedding_api_key: SecretStr | None = None

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 2

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str | None = Field(None, description="override of Slack's Web API base URL (tests)")
    slack_team_id: str | None = Field(None, description="the one Slack workspace served (T...); unset: any "
                                      "workspace whose requests carry the app's signature")

    nudge_schedule: str = Field("0 8 * * *", description="cron: daily commitment nudges")
    digest_schedule: str = Field("0 8 * * mon", description="cron: weekly drift digest to managers")
    timezone: str = "UTC"

    salesforce_instance_url: str | None = Field(None, description="e.g. https://acme.my.salesforce.com")
    salesforce_access_token: SecretStr | None = Field(None, description="an OAuth access token (session id)")
    salesforce_username: str | None = None
    salesforce_password: SecretStr | None = None
    salesforce_security_token: SecretStr | None = None
    salesforce_domain: str = Field("login", description="login | test (sandbox) | a My Domain prefix")
    salesforce_api_version: str = "59.0"
    salesforce_ca_bundle: Path | None = Field(None, description="CA bundle for TLS to the org (proxies, tests)")
    salesforce_max_api_share: float = Field(0.9, gt=0, le=1, description="stop when this share of the daily "
                                                                         "API requests is used")
    hubspot_token: SecretStr | None = Field(None, description="a private app's access token")
    hubspot_base_url: str | None = Field(None, description="override of https://api.hubapi.com (tests)")
    crm_profile_salesforce: str = Field("salesforce", description="export profile (name or .toml) used by sync")
    crm_profile_hubspot: str = Field("hubspot", description="export profile (name or .toml) used by sync")
    crm_sync_schedule: str = Field("*/30 * * * *", description="cron: CRM sync inside kam serve")
    crm_max_retries: int = Field(5, ge=0, description="retries of a CRM call answered 429 or 503")

    rules_file: Path | None = Field(None, description="TOML file overriding the default KAM rules")
    auto_confirm_notes: bool = False

    http_host: str = "127.0.0.1"
    http_port: int = 8080
    max_request_bytes: int = 256_000
    web_session_secret: SecretStr | None = Field(
        None, description="signs the web page's session cookie; default: a random one kept in data_dir")

    @field_validator("data_dir", mode="before")
    @classmethod
    def _expand(cls, v: object) -> object:
        return Path(v).expanduser() if isinstance(v, str | Path) else v

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.env != "prod":
            return self
        for name in ("llm_api_key", "slack_bot_token", "slack_app_token", "slack_signing_secret",
                     "salesforce_access_token", "salesforce_password", "hubspot_token", "web_session_secret"):
            value = getattr(self, name)
            if value is not None and value.get_secret_value().strip().lower() in _PLACEHOLDERS:
                raise ValueError(f"KAM_{name.upper()} is a placeholder; set a real value or unset it")
        return self

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "kam.db"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

"""Dependencies as ``Annotated`` aliases so routes read like prose."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from servicenet_vocab.config import Settings
from servicenet_vocab.store import OxigraphStore


def get_store(request: Request) -> OxigraphStore:
    store: OxigraphStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[OxigraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

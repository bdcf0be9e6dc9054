"""Resumable training state, written atomically into the job directory."""
import os

import torch


def save(path: str, state: dict) -> None:
    temporary = path + ".tmp"
    torch.save(state, temporary)
    os.replace(temporary, path)


def load(path: str):
    if not os.path.exists(path):
        return None
    return torch.load(path, map_location="cpu", weights_only=False)

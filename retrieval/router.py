"""Intent routing by the question's wording, after normalisation.

The rules live with the answer modules (ROUTES); the first matching rule by priority wins.
"""
from __future__ import annotations

from retrieval.answers.registry import routes


def route(question: str) -> str:
    for intent, pattern, _, _ in routes():
        if pattern.search(question):
            return intent
    return "passages"

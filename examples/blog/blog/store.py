"""Posts kept in memory, one store per app (``app.extensions["blog.posts"]``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

from kolben import current_app


@dataclass(frozen=True)
class Post:
    id: int
    title: str
    body: str
    author: str
    created: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


class PostStore:
    """A list of posts behind a lock: the threaded dev server shares one store."""

    def __init__(self) -> None:
        self._posts: list[Post] = []
        self._lock = threading.Lock()

    def add(self, title: str, body: str, author: str) -> Post:
        with self._lock:
            post = Post(len(self._posts) + 1, title, body, author)
            self._posts.append(post)
        return post

    def newest_first(self) -> list[Post]:
        with self._lock:
            return self._posts[::-1]


def get_store() -> PostStore:
    """The current app's post store."""
    store: PostStore = current_app.extensions["blog.posts"]
    return store

"""Two rules that match the same URLs: kolben reports the second when it is
added, and the first one serves them, as in Flask.

``kolben --app examples.conflicts routes --check`` lists the pair.
"""

from kolben import Kolben

app = Kolben(__name__)


@app.get("/users/<name>")
def user(name: str) -> str:
    return f"user {name}"


@app.get("/users/<login>")  # the same URLs as /users/<name>
def profile(login: str) -> str:
    return f"profile {login}"

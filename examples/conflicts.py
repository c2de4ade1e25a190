"""Two rules that match the same URLs: kolben reports the second when it is
added, and the first one serves them, as in Flask.

``kolben --app examples.conflicts routes --check`` lists the pair.
"""

from kolben import Kolben

app = Kolben(__name__)


def user(name: str) -> str:
    return f"user {name}"


def profile(login: str) -> str:
    return f"profile {login}"


app.add_url_rule("/users/<name>", view_func=user)
app.add_url_rule("/users/<login>", view_func=profile)  # the same URLs as above

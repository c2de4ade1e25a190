from kolben import Kolben, render_template, request

app = Kolben(__name__)


@app.get("/hello")
def hello() -> str:
    return "Hello, World!"


@app.route("/user/<username>")
def user(username: str) -> str:
    return render_template("user.html", name=username, page=request.args.get("page"))

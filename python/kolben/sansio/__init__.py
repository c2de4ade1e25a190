"""The parts of the app that do no I/O: setup and registration."""

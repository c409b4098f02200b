"""The composition of the three services: command line, embedded runner, import, replay."""

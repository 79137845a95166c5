"""The project: settings, root URLs, WSGI and the embedded database, at the top of the layers.

May import every package. A Django app without models, for the `embedded_db` command.
"""

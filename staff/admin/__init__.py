"""The admin of petitions, responses and documents, registered when the admin autodiscovers
this app."""

from staff.admin import documents, petitions, responses  # noqa: F401

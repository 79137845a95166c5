"""French formats of the archive's pages: « 5 décembre 2016 », « 19 juin 2019 à 10 h 10 HAE »,
numbers grouped by a narrow no-break space (« 1 234 »)."""

from django.conf.locale.fr.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \à G \h i T"
SHORT_DATE_FORMAT = "j N Y"

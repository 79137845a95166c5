"""English formats of the archive's pages: "December 5, 2016", "June 19, 2019, 10:10 a.m. EDT".

Templates name these (`|date:"DATE_FORMAT"`), never a pattern, so each language has its own.
"""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i a T"
SHORT_DATE_FORMAT = "N j, Y"

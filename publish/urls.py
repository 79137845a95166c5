"""The petition list's exports, feeds and data page, in the namespace "petitions" with the pages
of browse.urls (config/urls.py joins them)."""

from django.urls import path

from publish import downloads, exports, feeds, site_views

urlpatterns = [
    path("petitions.csv", exports.petitions_csv, name="list-csv"),
    path("petitions.json", exports.petitions_json, name="list-json"),
    path("downloads/<str:name>", downloads.download, name="download"),
    path("feeds/petitions/", feeds.PetitionFeed(), name="feed-petitions"),
    path("feeds/responses/", feeds.ResponseFeed(), name="feed-responses"),
    path("about/data/", site_views.about_data, name="about-data"),
]

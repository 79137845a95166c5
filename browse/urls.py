from django.urls import path, register_converter

from browse import indexes, views


class PetitionNumberConverter:
    """e-2835, E-2835 or a presentation number such as 432-00309."""

    regex = r"[eE]-[0-9]{1,6}|[0-9]{3}-[0-9]{5}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PetitionNumberConverter, "number")

# config/urls.py serves these with publish.urls under the namespace "petitions".
urlpatterns = [
    path("", views.home, name="home"),
    path("petitions/", views.PetitionListView.as_view(), name="list"),
    path("petitions/<number:number>.json", views.petition_json, name="detail-json"),
    path("petitions/<number:number>/", views.petition_detail, name="detail"),
    *(
        route
        for kind in indexes.INDEXES
        for route in (
            path(f"{kind}/", indexes.index_page, {"kind": kind}, name=kind),
            path(
                f"{kind}.json",
                indexes.index_page,
                {"kind": kind, "as_json": True},
                name=f"{kind}-json",
            ),
        )
    ),
    path("topics/<slug:slug>/", views.TopicView.as_view(), name="topic"),
    path("ministers/<slug:slug>/", views.PortfolioView.as_view(), name="minister"),
    path("members/<slug:slug>/", views.MemberView.as_view(), name="member"),
]

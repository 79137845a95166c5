from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="list"),
    path("documents/<slug:slug>.json", views.document_json, name="detail-json"),
    path("documents/<slug:slug>/", views.document_detail, name="detail"),
]

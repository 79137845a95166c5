from django.urls import path

from publish.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.statistics, name="index"),
    path("<slug:chart>.csv", views.chart_csv, name="csv"),
]

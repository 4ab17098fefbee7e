from django.urls import path

from incidents import views

app_name = "incidents"
urlpatterns = [
    path("services/<slug:service_slug>/report/", views.reader_report, name="reader_report"),
]

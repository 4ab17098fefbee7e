from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/push/", views.subscribe_push, name="subscribe_push"),
    path("subscribe/push/remove/", views.unsubscribe_push, name="unsubscribe_push"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

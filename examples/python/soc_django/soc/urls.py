"""Routes of the SOC API."""

from django.urls import path

from . import views

urlpatterns = [
    path("api/events", views.events),
    path("api/detections", views.detections),
    path("api/counts/<str:field>", views.counts),
]

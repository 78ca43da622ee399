from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import errors, views

router = SimpleRouter()
router.register("barriers", views.BarrierViewSet, basename="barrier")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("regions", views.RegionViewSet, basename="region")

app_name = "api"
urlpatterns = [
    path("practices/", views.PracticeSearchView.as_view(), name="practice-list"),
    path("practices/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice-detail"),
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own: the CSP allows
    # no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", errors.not_found),
]

from django.urls import path

from linernotes.operations.health import HEALTH_CHECK_PATH, health_check

app_name = "operations"

urlpatterns = [path(HEALTH_CHECK_PATH.lstrip("/"), health_check, name="healthz")]

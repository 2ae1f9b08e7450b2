"""Admin pages beyond a model's list and form (imports, exports, tests), for any app."""

from __future__ import annotations

from typing import Any, Literal

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views import View


class AdminPage(View):
    """A page of one ModelAdmin, with the admin's context and permission check."""

    model_admin: admin.ModelAdmin[Any] | None = None
    template_name = ""
    title = ""
    # The model admin's permission the page needs: "view" for a page that only reads, "change"
    # for one that changes something or sends mail (its form is of no use without it).
    permission: Literal["view", "change"] = "view"

    def page(self, request: HttpRequest, **context: Any) -> TemplateResponse:
        assert self.model_admin is not None
        return TemplateResponse(
            request,
            self.template_name,
            {
                **self.model_admin.admin_site.each_context(request),
                "opts": self.model_admin.model._meta,
                "title": self.title,
                **context,
            },
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not self.allowed(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, request: HttpRequest) -> bool:
        assert self.model_admin is not None
        if self.permission == "change":
            return self.model_admin.has_change_permission(request)
        return self.model_admin.has_view_permission(request)

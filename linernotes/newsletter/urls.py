from django.urls import URLPattern, URLResolver, include, path

from linernotes.newsletter import views, webhooks

app_name = "newsletter"
urlpatterns: list[URLPattern | URLResolver] = [
    path("newsletter/", views.signup, name="signup"),
    path("newsletter/check-your-inbox/", views.check_inbox, name="check-inbox"),
    path("newsletter/confirm/resend/", views.resend_confirmation, name="resend"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/preferences/<str:token>/", views.preferences, name="preferences"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/preview/<str:token>/", views.preview, name="preview"),
    # Provider webhooks, e.g. /newsletter/webhooks/postmark/tracking/ (see docs/newsletter.md).
    path("newsletter/webhooks/", include(webhooks.urlpatterns)),
]

from django.urls import path, register_converter

from linernotes.site import views


class FourDigitYear:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class TwoDigitMonth:
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return f"{int(value):02d}"


register_converter(FourDigitYear, "yyyy")
register_converter(TwoDigitMonth, "mm")

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("page/<int:page>/", views.home, name="home-page"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("category/<slug:slug>/page/<int:page>/", views.category, name="category-page"),
    path("author/<slug:slug>/", views.author, name="author"),
    path("author/<slug:slug>/page/<int:page>/", views.author, name="author-page"),
    path("<yyyy:year>/<mm:month>/<slug:slug>/", views.post_detail, name="post"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("preview/<str:token>/card/", views.preview_card, name="preview-card"),
    path("placeholder/<slug:slug>.svg", views.placeholder_image, name="placeholder"),
    path("<slug:slug>/", views.page_detail, name="page"),
]
